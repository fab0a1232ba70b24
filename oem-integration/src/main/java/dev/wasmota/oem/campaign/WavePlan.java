package dev.wasmota.oem.campaign;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How a campaign's targets are split into waves (hawkBit's rollout groups): a comma-separated
 * list of <em>cumulative</em> sizes, each a vehicle count ({@code 1,10,100}) or a percentage of the
 * targets ({@code 10%,50%,100%}), mixed if wanted ({@code 1,25%,100%}). A value says how many
 * vehicles have been instructed once that wave has started; the wave adds the difference to the
 * one before. A count above the number of targets means all of them, percentages round up, the
 * last value must reach every target, and waves that would add nobody are dropped.
 *
 * @param steps the values as written, in order
 */
public record WavePlan(List<Step> steps) {
    /** Most waves a plan may have. */
    public static final int MAX_WAVES = 100;

    private static final Pattern STEP = Pattern.compile("(\\d{1,7})(%?)");

    /** One value of the plan: a cumulative vehicle count, or a cumulative percentage of the targets. */
    public record Step(int value, boolean percent) {
        public Step {
            if (value < 1 || (percent && value > 100)) {
                throw new IllegalArgumentException("wave size " + value + (percent ? "%" : "") + " is outside "
                        + (percent ? "1%..100%" : "1.."));
            }
        }

        /** How many targets have been instructed once this step's wave has started. */
        int cumulative(int targets) {
            return percent ? (int) ((value * (long) targets + 99) / 100) : Math.min(value, targets);
        }

        @Override
        public String toString() {
            return value + (percent ? "%" : "");
        }
    }

    /** A wave of a plan applied to a number of targets: the step that made it and how many vehicles it adds. */
    public record Slice(String step, int size) {
    }

    public WavePlan {
        steps = List.copyOf(steps);
        if (steps.isEmpty() || steps.size() > MAX_WAVES) {
            throw new IllegalArgumentException("a wave plan has 1.." + MAX_WAVES + " waves");
        }
        for (int i = 1; i < steps.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (steps.get(j).percent() == steps.get(i).percent() && steps.get(j).value() >= steps.get(i).value()) {
                    throw new IllegalArgumentException("wave sizes are cumulative and must grow: " + steps.get(i)
                            + " follows " + steps.get(j));
                }
            }
        }
    }

    /** Parses a plan like {@code 1,10,100} or {@code 10%,50%,100%}; throws {@link IllegalArgumentException} saying why not. */
    public static WavePlan parse(String spec) {
        List<Step> steps = new ArrayList<>();
        for (String token : spec.split(",", -1)) {
            Matcher m = STEP.matcher(token.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + token.strip() + "' is not a wave size like 10 or 25%");
            }
            steps.add(new Step(Integer.parseInt(m.group(1)), !m.group(2).isEmpty()));
        }
        return new WavePlan(steps);
    }

    /**
     * The waves this plan makes of {@code targets} vehicles, each with the number it adds; throws
     * {@link IllegalArgumentException} if the plan does not reach every target or shrinks.
     */
    public List<Slice> resolve(int targets) {
        if (targets < 1) {
            throw new IllegalArgumentException("a campaign needs at least one target");
        }
        List<Slice> out = new ArrayList<>();
        int reached = 0;
        for (Step s : steps) {
            int cumulative = s.cumulative(targets);
            if (cumulative < reached) {
                throw new IllegalArgumentException("wave " + s + " (" + cumulative + " of " + targets
                        + " vehicles) is below the wave before it (" + reached + ")");
            }
            if (cumulative > reached) {
                out.add(new Slice(s.toString(), cumulative - reached));
                reached = cumulative;
            }
        }
        if (reached < targets) {
            throw new IllegalArgumentException("waves " + this + " reach " + reached + " of the " + targets
                    + " targeted vehicles; end the plan with 100% or a count of at least " + targets);
        }
        return out;
    }

    @Override
    public String toString() {
        return steps.stream().map(Step::toString).collect(Collectors.joining(","));
    }
}
