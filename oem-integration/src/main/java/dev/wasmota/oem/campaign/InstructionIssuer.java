package dev.wasmota.oem.campaign;

import dev.wasmota.signing.pki.Credential;

import dev.wasmota.oem.release.Release;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.SignedInstruction;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Issues one signed instruction for an action, inside the caller's transaction: advances the
 * vehicle's counter, signs with the campaign key, and records the instruction on the action in
 * the same transaction, so a counter is issued once and only with a recorded instruction.
 */
final class InstructionIssuer {
    private final Credential campaignKey;
    private final Ids ids;
    private final Clock clock;

    InstructionIssuer(Credential campaignKey, Ids ids, Clock clock) {
        this.campaignKey = campaignKey;
        this.ids = ids;
        this.clock = clock;
    }

    IssuedInstruction issue(Connection c, Campaign k, Action a, Release release) throws SQLException {
        Batch b = batch(c, k, release);
        IssuedInstruction issued = b.issue(a);
        b.finish();
        return issued;
    }

    /**
     * Issues many instructions of campaign {@code k} for {@code release} in one transaction (a
     * wave's): what they all share (the shadow delivery, the RXSWIN after, the user notice) is
     * looked up once, and the per-wave counters move once at {@link Batch#finish}, not twice per
     * instruction. Finish it before anything in the transaction reads the counters.
     */
    Batch batch(Connection c, Campaign k, Release release) throws SQLException {
        return new Batch(c, k, release);
    }

    /** See {@link #batch}. */
    final class Batch {
        private final Connection c;
        private final Campaign k;
        private final Release release;
        private final java.util.Map<Action.Kind, Shared> shared = new java.util.EnumMap<>(Action.Kind.class);
        private final WaveCounters.Tally tally = new WaveCounters.Tally();

        private Batch(Connection c, Campaign k, Release release) {
            this.c = c;
            this.k = k;
            this.release = release;
        }

        IssuedInstruction issue(Action a) throws SQLException {
            return issueAll(List.of(a)).get(0);
        }

        /**
         * Issues an instruction for each of {@code actions}, in their order: slices of
         * {@value #SLICE} actions, each slice's counters advanced and its instructions recorded in
         * statement batches, its signatures made on the signing threads. A slice naming a vehicle
         * twice is issued one action at a time, so each gets the next counter in turn.
         */
        List<IssuedInstruction> issueAll(List<Action> actions) throws SQLException {
            List<IssuedInstruction> out = new ArrayList<>(actions.size());
            for (int from = 0; from < actions.size(); from += SLICE) {
                List<Action> slice = actions.subList(from, Math.min(actions.size(), from + SLICE));
                List<String> vehicles = slice.stream().map(Action::vehicleId).toList();
                if (new HashSet<>(vehicles).size() == vehicles.size()) {
                    out.addAll(slice(slice, VehicleRegistry.nextCounters(c, vehicles)));
                } else {
                    for (Action a : slice) {
                        out.addAll(slice(List.of(a), Map.of(a.vehicleId(), VehicleRegistry.nextCounter(c, a.vehicleId()))));
                    }
                }
            }
            return out;
        }

        private List<IssuedInstruction> slice(List<Action> slice, Map<String, Long> counters) throws SQLException {
            Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            List<Instruction> instructions = new ArrayList<>(slice.size());
            for (Action a : slice) {
                Shared s = shared.get(a.kind());
                if (s == null) {
                    s = shared(a.kind());
                    shared.put(a.kind(), s);
                }
                // ids drawn in the actions' order, one after the other: an injected generator gives the same ids each run
                instructions.add(new Instruction(ids.instructionId(), k.id(), a.vehicleId(), release.moduleId(),
                        release.packageSha256(), counters.get(a.vehicleId()), issuedAt, issuedAt.plus(k.validity()),
                        ids.nonce(), s.shadow(), s.rxswin(), s.notice()));
            }
            List<byte[]> files = sign(instructions);
            List<ActionRows.Issuing> issuing = new ArrayList<>(slice.size());
            List<IssuedInstruction> out = new ArrayList<>(slice.size());
            for (int n = 0; n < slice.size(); n++) {
                Action a = slice.get(n);
                Instruction i = instructions.get(n);
                issuing.add(new ActionRows.Issuing(a, new Action.Issued(i.instructionId(), i.counter(), i.nonce(),
                        i.packageSha256(), i.issuedAt(), i.expiresAt()), files.get(n)));
                out.add(new IssuedInstruction(i, files.get(n), a.kind(), release));
            }
            ActionRows.issued(c, issuing, tally);
            return out;
        }

        /** Moves the per-wave counters of every instruction issued. */
        void finish() throws SQLException {
            tally.flush(c);
        }

        private Shared shared(Action.Kind kind) throws SQLException {
            java.util.Optional<dev.wasmota.signing.instruction.ShadowDelivery> shadow = kind == Action.Kind.INSTALL
                    && !ShadowDecisions.promoted(c, k.id()) ? RolloutRows.find(c, k.id()).shadow() : java.util.Optional.empty();
            return new Shared(shadow, rxswinAfter(c, k, kind, release), kind == Action.Kind.INSTALL
                    ? dev.wasmota.oem.record.CampaignNotices.forCampaign(c, k.id()) : java.util.Optional.empty());
        }
    }

    /** Actions issued together: their statements in one batch each, their signatures shared out. */
    static final int SLICE = 500;
    /** The signing threads: the campaign key's signatures are most of a wave's start, and they are independent. */
    private static final int SIGNERS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private static final ExecutorService SIGNING = Executors.newFixedThreadPool(SIGNERS, r -> {
        Thread t = new Thread(r, "instruction-signer");
        t.setDaemon(true);
        return t;
    });

    /** Each of {@code instructions} signed with the campaign key, in order; on the signing threads when there are several. */
    private List<byte[]> sign(List<Instruction> instructions) {
        if (instructions.size() < 2 * SIGNERS) {
            return instructions.stream().map(this::sign).toList();
        }
        List<Future<List<byte[]>>> parts = new ArrayList<>();
        int per = (instructions.size() + SIGNERS - 1) / SIGNERS;
        for (int from = 0; from < instructions.size(); from += per) {
            List<Instruction> part = instructions.subList(from, Math.min(instructions.size(), from + per));
            parts.add(SIGNING.submit(() -> part.stream().map(this::sign).toList()));
        }
        List<byte[]> out = new ArrayList<>(instructions.size());
        try {
            for (Future<List<byte[]>> f : parts) {
                out.addAll(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            parts.forEach(f -> f.cancel(true));
            throw new IllegalStateException("interrupted while signing instructions", e);
        } catch (ExecutionException e) {
            parts.forEach(f -> f.cancel(true));
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        return out;
    }

    private byte[] sign(Instruction i) {
        return SignedInstruction.sign(i, campaignKey.key(), campaignKey.cert(), clock);
    }

    /** What every instruction of one kind in a batch carries alike. */
    private record Shared(java.util.Optional<dev.wasmota.signing.instruction.ShadowDelivery> shadow,
                          java.util.Optional<String> rxswin, java.util.Optional<dev.wasmota.signing.instruction.UserNotice> notice) {
    }

    /**
     * The RXSWIN a vehicle runs once it commits {@code release} (issue 17): for an install, the
     * "to" of the release's stated change; for a campaign's rollback, the "from" of the campaign
     * release's change (the vehicle goes back to what it ran); empty when the change is none.
     */
    private static java.util.Optional<String> rxswinAfter(Connection c, Campaign k, Action.Kind kind, Release release)
            throws SQLException {
        if (kind == Action.Kind.ROLLBACK) {
            return dev.wasmota.oem.rxswin.RxswinRegister.change(c, k.release()).flatMap(ch -> ch.from());
        }
        return dev.wasmota.oem.rxswin.RxswinRegister.change(c, release.id()).flatMap(ch -> ch.to());
    }
}
