package dev.wasmota.audit;

/**
 * What an audit record reports. Vehicle and OEM logs share this vocabulary so an auditor reads
 * both with one tool; each constant names the step, the record's other fields say how it went.
 */
public enum AuditEvent {
    /** A package's signatures, certificates and policy were checked; results in {@code verifications}. */
    VERIFY,
    /** A verified package was written durably into the inactive slot; the active slot is untouched. */
    INSTALL_STAGED,
    /** The staged slot became the active one (the slot switch is durable). */
    INSTALL_COMMITTED,
    /** An install was refused; {@code cause} names the reason, nothing was activated. */
    INSTALL_REFUSED,
    /** A module was started from its active slot (trial activation or normal start). */
    ACTIVATED,
    /** The health check ({@code init()}) after a trial activation ran; the outcome says how. */
    HEALTH_CHECK,
    /** The previous slot was reactivated; {@code cause} says whether manual or automatic, and why. */
    ROLLBACK,
    /** A module's faults in the sliding window crossed the threshold. */
    FAULT_WINDOW_TRIPPED,
    /** The anti-rollback security-version floor of a module was raised. */
    FLOOR_RAISED,
    /**
     * A module's active slot was marked successful: it ran its probation (the fault window)
     * without a rollback ({@code cause} {@code PROBATION_PASSED}), or was confirmed by hand
     * ({@code MANUAL}); the floor rises to its security version, so its rollback target is then refused.
     */
    CONFIRMED,
    /**
     * A module's stored state is damaged (its state or floor unreadable, its active slot below the
     * floor): the host leaves that module alone (it is not started) and runs the others;
     * {@code cause} names the damage.
     */
    QUARANTINED,
    /**
     * An attack or violation was seen and blocked: bad signature, rollback attempt below the
     * floor, capability violation, replayed or expired instruction; {@code cause} names it.
     */
    SECURITY_EVENT,
    /**
     * A trust update signed by the OEM root came into force (vehicle), or was issued or queued to
     * the fleet (OEM): {@code detail} gives its sequence and how many keys and certificates it revokes.
     */
    TRUST_UPDATED,
    /** State was recovered after a crash (torn log line truncated, temp files removed, slot fallback). */
    RECOVERY,
    /** OEM: a supplier package passed intake checks and integration tests. */
    INTAKE_ACCEPTED,
    /** OEM: a supplier package failed intake; {@code cause} names the check. */
    INTAKE_REJECTED,
    /** OEM: a release was countersigned with the OEM release key. */
    RELEASE_COUNTERSIGNED,
    /** OEM: the first package of a module id passed intake, so its supplier now owns the module id. */
    MODULE_OWNER_RECORDED,
    /**
     * OEM: the OEM handed a module over to another supplier (signed with the release key);
     * {@code detail} names both suppliers, the security version the new owner starts at, and why.
     */
    MODULE_OWNER_TRANSFERRED,
    /** OEM: a campaign was created. */
    CAMPAIGN_CREATED,
    /** OEM: a campaign started its first wave. */
    CAMPAIGN_STARTED,
    /** OEM: a campaign moved to its next wave. */
    CAMPAIGN_WAVE_STARTED,
    /** OEM: a campaign was paused, by an operator or by an error-rate threshold. */
    CAMPAIGN_PAUSED,
    /** OEM: a paused campaign was resumed. */
    CAMPAIGN_RESUMED,
    /** OEM: a campaign was aborted; vehicles not yet updated receive nothing more. */
    CAMPAIGN_ABORTED,
    /** OEM: every wave of a campaign finished. */
    CAMPAIGN_COMPLETED,
    /** OEM: a vehicle reported a status or a signed version report for a campaign. */
    CAMPAIGN_STATUS_RECEIVED,
    /** OEM: a campaign stopped by itself because a wave's error rate reached the stop threshold. */
    CAMPAIGN_STOPPED,
    /** OEM: a campaign-wide rollback sent the previous release to every vehicle that had committed. */
    CAMPAIGN_ROLLED_BACK,
    /** OEM: a vehicle did not answer its instruction before the instruction expired. */
    CAMPAIGN_INSTRUCTION_EXPIRED,
    /**
     * OEM: a worker was retired: what the broker had queued for it was handled, its claims put
     * back, and its MQTT sessions ended, so the broker no longer gives it a share.
     */
    OEM_WORKER_RETIRED,
    /**
     * OEM: a credential was issued from the OEM root (a TLS client, a broker, or a vehicle's at
     * provisioning); {@code detail} names its subject, serial number, validity and where it went.
     */
    CREDENTIAL_ISSUED,
    /**
     * OEM: a worker took over the outbox messages another worker had claimed but not sent, once
     * that worker's lease ran out (it stopped renewing it: killed, hung, or cut off).
     */
    OEM_CLAIMS_TAKEN_OVER,
    /**
     * A message on the MQTT pipeline was refused (malformed, oversized, unverifiable, from the
     * wrong sender) and sent to a dead-letter topic; {@code cause} names the reason.
     */
    MESSAGE_DEAD_LETTERED,
    /**
     * A release began to run as a shadow beside its module's active version (verified, accepted
     * and health-checked like an install, nothing staged): its writes captured, never actuated.
     */
    SHADOW_STARTED,
    /** A shadow was promoted: the normal install path committed it; {@code detail} says how it agreed. */
    SHADOW_PROMOTED,
    /** A shadow was discarded, the active version never stopped; {@code detail} says why, with examples. */
    SHADOW_DISCARDED,
    /**
     * Vehicle: an operator's signed command to promote or discard a shadow run was refused
     * (unsigned, another vehicle's, expired, or naming a shadow run that is not running: replayed
     * or concluded already); {@code cause} names the reason. One carried out is a
     * {@code SHADOW_PROMOTED} or {@code SHADOW_DISCARDED} record naming the operator's command.
     */
    SHADOW_COMMAND_REFUSED,
    /**
     * OEM: an operator promoted or discarded a campaign's shadow runs; {@code detail} names the
     * action, the reason and how many vehicles were sent a signed command.
     */
    CAMPAIGN_SHADOW_DECIDED,
    /**
     * OEM: a campaign's update record (UN R156 §7.1.2) was stated or replaced before its start;
     * {@code detail} gives the record's SHA-256 and the fields it still lacks.
     */
    UPDATE_RECORD_STATED,
    /**
     * Vehicle: an instructed update was not activated because its safe-execution preconditions
     * (vehicle stationary, supply voltage) did not hold; {@code preconditions} gives each signal's
     * state. It is tried again until they hold or the instruction expires.
     */
    INSTALL_POSTPONED,
    /**
     * OEM: an RXSWIN was defined in the register (UN R156 7.1.1), or a release's RXSWIN change
     * (from, to, or none, and why) was stated; {@code detail} names them.
     */
    RXSWIN_STATED,
    /**
     * OEM: a vehicle was left out of a campaign at its start because its last signed configuration
     * does not fit the release (RXSWIN, module requirements); {@code detail} gives the reason.
     */
    CAMPAIGN_VEHICLE_EXCLUDED,
    /**
     * Vehicle: the user was shown an update's notice (its HMI; cause {@code BEFORE}: purpose,
     * expected duration, functions unavailable) or told its outcome (cause {@code AFTER}).
     */
    USER_NOTIFIED
}
