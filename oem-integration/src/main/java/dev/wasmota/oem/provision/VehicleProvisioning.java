package dev.wasmota.oem.provision;

import dev.wasmota.contract.io.WholeDirectory;
import dev.wasmota.ecu.HostIdentity;
import dev.wasmota.ecu.ProvisionedState;
import dev.wasmota.oem.campaign.Vehicle;
import dev.wasmota.oem.campaign.VehicleRegistry;
import dev.wasmota.oem.pki.IssuedCredentials;
import dev.wasmota.oem.pki.OemPki;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.signing.pki.CredentialDir;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Provisions an empty vehicle: registers it in the fleet campaigns target, issues its credential
 * (a TLS client certificate with the vehicle role, whose key also signs its status reports) and
 * writes everything its ECU needs to start with nothing installed, as a {@link ProvisionedState}
 * directory that appears whole or not at all. Registering again with the same hardware changes
 * nothing, so a provisioning cut short is simply run again.
 */
public final class VehicleProvisioning {
    /** A provisioned vehicle: its registration, the credential issued and the state directory written. */
    public record Provisioned(Vehicle vehicle, CredentialDir credential, Path state) {
    }

    private VehicleProvisioning() {
    }

    /**
     * Provisions vehicle {@code vehicleId} with ECU hardware {@code hardwareId} into {@code out},
     * which must be absent or empty: checked first, then the vehicle is registered (refused if it
     * is registered with other hardware), then its credential issued and the state written.
     *
     * @throws FileAlreadyExistsException if {@code out} holds anything
     */
    public static Provisioned provision(OemPki pki, VehicleRegistry registry, String vehicleId, String hardwareId, Path out)
            throws IOException {
        requireAbsentOrEmpty(out);
        Vehicle vehicle = registry.register(vehicleId, hardwareId);
        HostIdentity identity = new HostIdentity(hardwareId, vehicleId);
        CredentialDir credential = IssuedCredentials.client(pki, ClientKind.VEHICLE, vehicleId);
        WholeDirectory.create(out, dir -> ProvisionedState.write(dir, identity, pki.trustDir(), credential));
        return new Provisioned(vehicle, credential, out);
    }

    private static void requireAbsentOrEmpty(Path out) throws IOException {
        if (!Files.exists(out)) {
            return;
        }
        if (Files.isDirectory(out)) {
            try (Stream<Path> entries = Files.list(out)) {
                if (entries.findAny().isEmpty()) {
                    return;
                }
            }
        }
        throw new FileAlreadyExistsException(out.toString(), null, "not empty; a vehicle is provisioned into a new directory");
    }
}
