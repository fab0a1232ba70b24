package dev.wasmota.cli.oem;

import dev.wasmota.cli.CliEnv;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ota oem campaign}: the group of campaign commands; alone, it asks for one of them (exit 2). */
@Command(name = "campaign", mixinStandardHelpOptions = true,
        description = {"Rolls a release out to vehicles in waves.",
                "Create, start, watch (status), pause, resume, abort or roll a campaign back; promote or discard its "
                + "shadow runs. "
                + "Waves are cumulative sizes: 1,10,100 or 10%%,50%%,100%%. The next wave starts when the current "
                + "wave's success rate reaches --advance-at; the campaign stops when a wave's error rate reaches "
                + "--stop-at. Instructions are signed with the campaign key and written to DIR/outbox/<vehicle>/. "
                + "Every command first counts instructions past their expiry as failed."})
public final class CampaignCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The {@code campaign} command line with its subcommands, to add under {@code ota oem}. */
    public static CommandLine commandLine(CliEnv env) {
        return new CommandLine(new CampaignCommand())
                .addSubcommand(new CampaignCreateCommand(env))
                .addSubcommand(new CampaignStartCommand(env))
                .addSubcommand(new CampaignPauseCommand(env))
                .addSubcommand(new CampaignResumeCommand(env))
                .addSubcommand(new CampaignAbortCommand(env))
                .addSubcommand(new CampaignRollbackCommand(env))
                .addSubcommand(new CampaignShadowDecisionCommand.Promote(env))
                .addSubcommand(new CampaignShadowDecisionCommand.Discard(env))
                .addSubcommand(new CampaignStatusCommand(env))
                .addSubcommand(new CampaignReportCommand(env))
                .addSubcommand(new CampaignRecordCommand(env))
                .addSubcommand(new CampaignNoticeCommand(env));
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command; one of: " + String.join(", ", spec.subcommands().keySet()));
    }
}
