/**
 * The OEM intake: what happens between a supplier's signed submission and a countersigned
 * release. The entry point is {@link dev.wasmota.oem.intake.IntakePipeline#integrate}, configured
 * by {@link dev.wasmota.oem.intake.IntakeOptions}; it runs each
 * {@link dev.wasmota.oem.intake.IntakeCheck} in order (supplier signature, WASM, exports,
 * compile, warm-up, vectors, soak, timing, countersign) in the vehicle's own sandbox
 * configuration, and returns an {@link dev.wasmota.oem.intake.IntakeResult}: the
 * {@link dev.wasmota.oem.intake.IntakeReport} (JSON by {@link dev.wasmota.oem.intake.IntakeReportJson})
 * and either the countersigned package or the refusal, whose reason carries the CONTRACT exit
 * code. The outcome is recorded in the OEM audit log before it is returned;
 * {@link dev.wasmota.oem.intake.IntakeFiles} writes the report and the release.
 *
 * <p>The countersignature states the digest of the vehicle compiler's output
 * ({@code ReleaseAttributes}), which each vehicle checks against its own compilation: Chicory's
 * compiler is deterministic for the same input (its serialized output differs only in zip
 * timestamps and a properties comment, which the digest leaves out), and the intake generates
 * the bytecode a second time (without loading the classes: about half a compilation or less) to
 * confirm it for each module it releases. Compilation is bounded by the vehicle's
 * {@code CompileBudget}.
 */
package dev.wasmota.oem.intake;
