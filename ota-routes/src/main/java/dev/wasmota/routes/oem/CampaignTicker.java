package dev.wasmota.routes.oem;

import dev.wasmota.oem.campaign.CampaignService;

/** Counts instructions past their expiry as failed and applies the wave rules, on the OEM's timer. */
public final class CampaignTicker {
    private final CampaignService campaigns;

    public CampaignTicker(CampaignService campaigns) {
        this.campaigns = campaigns;
    }

    public int tick() {
        return campaigns.tick();
    }
}
