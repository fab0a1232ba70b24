package dev.wasmota.cli.oem;

import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.VerifyResult;
import dev.wasmota.oem.audit.OemAuditTrail;
import dev.wasmota.oem.campaign.CampaignDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** The OEM's audit trail of an OEM directory's default database, read as another process would while commands run. */
public final class OemTrail {
    private OemTrail() {
    }

    /** Every record of the trail of {@code oemDir}'s database, oldest first. */
    public static List<AuditRecord> records(Path oemDir) {
        try (CampaignDatabase db = CampaignDatabase.open(CampaignDatabase.defaultUrl(oemDir), Clock.systemUTC())) {
            return new OemAuditTrail(db, Clock.systemUTC()).records();
        }
    }

    /** The trail's verification. */
    public static VerifyResult verify(Path oemDir) {
        try (CampaignDatabase db = CampaignDatabase.open(CampaignDatabase.defaultUrl(oemDir), Clock.systemUTC())) {
            return new OemAuditTrail(db, Clock.systemUTC()).verify();
        }
    }
}
