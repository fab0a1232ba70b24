package dev.wasmota.cli.oem;

import dev.wasmota.cli.serve.ConfigDefaults;
import dev.wasmota.cli.serve.ConfigFile;
import dev.wasmota.cli.serve.EventPrinter;
import dev.wasmota.cli.serve.Foreground;
import dev.wasmota.cli.serve.MetricsOptions;
import dev.wasmota.cli.serve.RouteSettings;
import dev.wasmota.cli.serve.TlsCredentials;
import dev.wasmota.protocol.tls.TlsMaterial;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.signing.pki.CredentialCheck;
import dev.wasmota.signing.pki.TrustHierarchy;
import dev.wasmota.signing.pki.TrustStore;

import dev.wasmota.broker.BrokerException;
import dev.wasmota.broker.BrokerSettings;
import dev.wasmota.broker.EmbeddedBroker;
import dev.wasmota.protocol.RouteFailure;
import dev.wasmota.protocol.Topics;
import dev.wasmota.transport.MqttSettings;
import dev.wasmota.routes.oem.OemNode;
import dev.wasmota.routes.oem.OemNodeConfig;
import dev.wasmota.cli.CliEnv;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.api.ApiBackend;
import dev.wasmota.oem.api.ApiServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota oem serve}: the OEM side of the MQTT pipeline, in the foreground until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true, defaultValueProvider = ConfigDefaults.class,
        description = {"Serves the OEM side of the MQTT pipeline until stopped.",
                "Takes in supplier submissions (intake, countersigning, releases), sends campaign",
                "instructions to vehicles, records their status reports and dead letters. Without",
                "--broker it starts the embedded broker on 127.0.0.1 (sessions kept in DIR/broker).",
                "Several workers (--worker), each with its own OEM directory (a copy of the keys) on",
                "any machine, share one OEM database (--db) and broker and split the work; every",
                "ota oem command works meanwhile, on the same database. A worker that dies has its",
                "outbox claims taken over once its lease (ota.oem.leaseSeconds) runs out. Stops on",
                "Ctrl-C or SIGTERM, closing the node, the broker and the metrics server.",
                "With --retire it retires worker --worker for good instead: puts back its outbox",
                "claims, handles what the broker queued for its sessions, ends them (so the broker",
                "stops giving it a share of submissions and status reports) and exits."})
public final class OemServeCommand implements Callable<Integer> {
    static final int DEFAULT_BROKER_PORT = 1883;
    /** A retirement ends once nothing has arrived for this long and everything is acknowledged. */
    static final Duration RETIRE_QUIET = Duration.ofSeconds(3);
    /** A retirement still receiving after this long is refused (exit 2), its sessions kept. */
    static final Duration RETIRE_LIMIT = Duration.ofMinutes(5);

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigFile config;

    @Option(names = "--oem", required = true, paramLabel = "DIR", description = "the OEM directory (ota oem init)")
    Path oemDir;

    @Option(names = "--broker", paramLabel = "URL",
            description = "the broker, tcp://HOST:PORT or ssl://HOST:PORT (default: start the embedded one)")
    String broker;

    @Option(names = "--broker-port", paramLabel = "PORT",
            description = "the embedded broker's port, 0 for a free one (default: " + DEFAULT_BROKER_PORT + ")")
    Integer brokerPort;

    @Option(names = "--max-message-size", paramLabel = "BYTES", defaultValue = "10485760",
            description = "largest MQTT packet the embedded broker accepts (default: ${DEFAULT-VALUE})")
    int maxMessageSize;

    @Option(names = "--tls", paramLabel = "DIR", description = "this worker's credential (key.pem, cert.pem, ca.pem: "
            + "ota oem issue worker) for an ssl:// broker; checked at start: CN oem/NAME, from this OEM's root, valid")
    Path tls;

    @Option(names = "--worker", paramLabel = "NAME",
            description = "this worker's name (ota.oem.worker), unique among the live workers (default: oem-1)")
    String worker;

    @Option(names = "--db", paramLabel = "URL", description = "the OEM database's JDBC URL, jdbc:postgresql://... for"
            + " workers on several machines (default: the H2 file in DIR/campaigns)")
    String db;

    @Option(names = "--retire", description = "retire worker --worker (see above) and exit; refused after "
            + "5 minutes of messages still arriving, with its sessions kept")
    boolean retire;

    @Option(names = "--api", paramLabel = "HOST:PORT", description = "also serve the management API and console here over"
            + " HTTPS (port 0 for a free one), with --api-tls; clients hold ota oem issue operator|viewer credentials")
    String api;

    @Option(names = "--api-tls", paramLabel = "DIR", description = "the management API's server credential (ota oem issue"
            + " broker --dns NAME|--ip ADDR: a TLS server certificate for the names clients use)")
    Path apiTls;

    @Option(names = "--console", paramLabel = "HOST:PORT", description = "also serve the live console here, plain HTTP"
            + " for a browser (browsers do not take the OEM's Ed25519 TLS): keep it on 127.0.0.1 or behind the plant's TLS"
            + " proxy; needs --api")
    String console;

    @Option(names = "--console-user", paramLabel = "operator/NAME|viewer/NAME", description = "print a console sign-in"
            + " link for this person (repeatable); the link is the credential: hand it over as a secret")
    List<String> consoleUsers = new ArrayList<>();

    @Mixin
    RouteSettings settings;

    @Mixin
    MetricsOptions metrics;

    private final CliEnv env;

    public OemServeCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() throws IOException {
        CommandLine cmd = spec.commandLine();
        PrintWriter out = cmd.getOut();
        if (broker != null && brokerPort != null) {
            throw new CommandLine.ParameterException(cmd, "--broker-port is the embedded broker's; it cannot go with --broker");
        }
        if (!Files.isDirectory(oemDir)) {
            throw new NoSuchFileException(oemDir.toString(), null, "no OEM directory; create one with ota oem init");
        }
        if (retire && worker == null) {
            throw new CommandLine.ParameterException(cmd, "--retire needs --worker NAME: the worker to retire");
        }
        if ((api == null) != (apiTls == null)) {
            throw new CommandLine.ParameterException(cmd, "--api HOST:PORT and --api-tls DIR go together");
        }
        if (console != null && api == null || !consoleUsers.isEmpty() && console == null) {
            throw new CommandLine.ParameterException(cmd, "--console needs --api, and --console-user needs --console");
        }
        for (String u : consoleUsers) {
            if (!u.matches("(operator|viewer)/[A-Za-z0-9._-]{1,64}")) {
                throw new CommandLine.ParameterException(cmd, "--console-user must be operator/NAME or viewer/NAME, not '" + u + "'");
            }
        }
        Properties p = settings.properties(cmd, worker == null ? Map.of() : Map.of("ota.oem.worker", worker));
        String name = p.getProperty("ota.oem.worker");
        Optional<TlsMaterial> material = credential(name);
        try (Foreground fg = new Foreground(cmd.getErr())) {
            MetricsOptions.Metrics m = fg.hold("metrics server", metrics.open(cmd));
            String url = broker != null ? broker : fg.hold("embedded broker", startBroker(new Topics(p.getProperty("ota.topic.root")))).url();
            if (broker == null) {
                out.println("embedded MQTT broker listening on " + url);
            }
            MqttSettings mqtt = RouteSettings.mqtt(cmd, url, material, p);
            OemNodeConfig config = OemNodeConfig.of(oemDir, mqtt).withProperties(overrides(p)).withRegistry(m.registry())
                    .withClock(env.clock(), env.random()).withEvents(new EventPrinter(out, env.clock().getZone()));
            if (db != null) {
                config = config.withDatabase(db);
            }
            OemNode node = fg.hold("OEM node", startNode(config));
            m.server().ifPresent(s -> s.readiness(node::readiness));
            if (retire) {
                out.println("retiring OEM worker " + name + ": draining its sessions");
                out.flush();
                OemNode.Retirement r = node.retire(RETIRE_QUIET, RETIRE_LIMIT, line -> {
                    out.println(line);
                    out.flush();
                });
                out.printf("retired OEM worker %s: %d queued messages handled, %d outbox claims put back, sessions ended "
                        + "(%.1f s)%n", name, r.handled(), r.claimsReturned(), r.took().toMillis() / 1000.0);
                return 0;
            }
            if (api != null) {
                ApiServer server = fg.hold("management API", startApi(node));
                out.println("management API at " + server.uri() + ApiServer.BASE + "/ (OpenAPI " + server.uri()
                        + ApiServer.OPENAPI_PATH + ")");
                if (console != null) {
                    String[] hp = hostPort(console, "--console");
                    out.println("live console at " + server.openConsole(hp[0], Integer.parseInt(hp[1])) + "/console/");
                    for (String u : consoleUsers) {
                        out.println("  sign-in link for " + u + ": " + server.consoleLink(u));
                    }
                }
            }
            Topics topics = new Topics(p.getProperty("ota.topic.root"));
            out.printf("OEM worker %s serving %s on %s: intake %s, status %s (topics under %s/)%n", name, oemDir, url,
                    topics.submitFilter(), topics.statusFilter(), topics.root());
            m.server().ifPresent(s -> out.println("metrics at " + s.url()));
            out.println("serving; stop with Ctrl-C");
            out.flush();
            fg.awaitInterrupt();
            out.println("OEM worker " + name + " stopping");
            out.flush();
        }
        return 0;
    }

    /** {@code --tls}, checked: this worker's (CN oem/NAME), from this OEM's root, not revoked, valid now. */
    private Optional<TlsMaterial> credential(String name) throws IOException {
        if (tls == null) {
            return Optional.empty();
        }
        TrustStore trust = TrustStore.load(oemDir.resolve(TrustHierarchy.TRUST_DIR));
        return Optional.of(TlsCredentials.read(tls, CredentialCheck.tlsClient(ClientKind.OEM, name), Optional.of(trust),
                env.clock().instant()));
    }

    /** The management API on {@code --api}, as this worker's workspace: its changes go to this worker's dispatcher. */
    private ApiServer startApi(OemNode node) throws IOException {
        String[] hp = hostPort(api, "--api");
        String host = hp[0];
        int port = Integer.parseInt(hp[1]);
        TrustStore trust = TrustStore.load(oemDir.resolve(TrustHierarchy.TRUST_DIR));
        TlsMaterial serverTls = TlsCredentials.read(apiTls, CredentialCheck.broker(), Optional.of(trust), env.clock().instant());
        return ApiServer.start(host, port, serverTls, ApiBackend.of(node.workspace()), env.clock());
    }

    /** {@code HOST:PORT} (an IPv6 host in brackets) as host and port; a usage error otherwise. */
    private String[] hostPort(String value, String option) {
        int colon = value.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            port = -1;
        }
        if (colon < 1 || port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " must be HOST:PORT, not '" + value + "'");
        }
        return new String[] {value.substring(0, colon).replaceAll("^\\[|\\]$", ""), Integer.toString(port)};
    }

    private EmbeddedBroker startBroker(Topics topics) throws IOException {
        Path data = Files.createDirectories(oemDir.resolve("broker"));
        try {
            return EmbeddedBroker.start(BrokerSettings.builder(data)
                    .port(brokerPort == null ? DEFAULT_BROKER_PORT : brokerPort).maxMessageBytes(maxMessageSize)
                    .topics(topics).build());
        } catch (BrokerException e) {
            throw new RejectedException(RouteFailure.BROKER_UNAVAILABLE, "the embedded broker did not start: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    private static OemNode startNode(OemNodeConfig config) throws IOException {
        try {
            return OemNode.start(config);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The settings that differ from the defaults, as {@link OemNodeConfig#withProperties} takes them. */
    private static Map<String, String> overrides(Properties p) {
        Map<String, String> m = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }
}
