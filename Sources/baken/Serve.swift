import ArgumentParser
import BakenDesk
import BakenEngine
import BakenPostgres
import BakenServer
import BakenStore
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Yams

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the help-desk server: HTTP + WebSocket (default 127.0.0.1:8080) and the TCP line protocol (8081).")

    @Option(help: "Host to listen on.") var host: String?
    @Option(help: "HTTP and WebSocket port.") var port: Int?
    @Option(help: "TCP line-protocol port (-1 turns it off).") var tcpPort: Int?
    @OptionGroup var storage: StoreLocation
    @Option(help: "A YAML configuration file (see deploy/baken.example.yaml).") var config: String?
    @Option(help: "The partners' webhook settings (see deploy/partners.example.yaml).") var partners: String?
    @Option(help: "Log level: trace, debug, info, notice, warning, error.") var logLevel: String = "info"
    @Option(help: "Port of the /metrics listener on 127.0.0.1 (-1 turns it off; default 9464).") var metricsPort: Int?
    @Flag(help: "Serve /ws/echo, the load benchmark's baseline (not for production).") var bench = false
    @OptionGroup var options: KnowledgeOptions

    func run() async throws {
        let file = try FileConfiguration.load(config)
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Waiting for a person takes seconds to minutes, not milliseconds.
        factory.durationHistogramBuckets["baken_handoff_wait_seconds"] = [5, 15, 30, 60, 120, 180, 300, 600].map { .seconds($0) }
        MetricsSystem.bootstrap(factory)
        let logger = Logger(label: "baken")

        var knowledgeOptions = options
        if let dir = file.knowledge { knowledgeOptions.knowledge = dir }
        if let dir = file.intents { knowledgeOptions.intents = dir }
        let engine = Engine(knowledge: try knowledgeOptions.load())
        // A node keeps its name across restarts, so it still owns the conversations it held.
        let nodeName = "\(ProcessInfo.processInfo.hostName):\(port ?? file.port ?? 8080)"
        let store = try await storage.open(fileDatabase: file.database, fileData: file.data, defaultNode: nodeName, logger: logger)
        let dataLocation = storage.describe(fileDatabase: file.database, fileData: file.data)
        let endpoints: [PartnerEndpoint]
        do {
            endpoints = try (partners ?? file.partners).map { try PartnersFile.load($0) } ?? []
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        var deskConfiguration = file.desk()
        deskConfiguration.referralPartners = Set(endpoints.map(\.partner))  // offer only what can be delivered
        let version = KnowledgeReloader.version(of: [knowledgeOptions.knowledge, knowledgeOptions.intents])
        let desk = Desk(engine: engine, store: store, configuration: deskConfiguration, logger: logger, knowledgeVersion: version)
        try await desk.restore()
        let proxies: ClientAddress
        do {
            proxies = try ClientAddress(trustedProxies: file.trusted_proxies ?? [])
        } catch {
            printError("\(config ?? "config"): \(error)")
            throw ExitCode(1)
        }
        let server = ServerConfiguration(
            host: host ?? file.host ?? "127.0.0.1", port: port ?? file.port ?? 8080, tcpPort: tcpPort ?? file.tcp_port ?? 8081,
            trustedProxies: proxies, allowedOrigins: file.allowed_origins ?? [], bench: bench || (file.bench ?? false),
            metricsPort: metricsPort ?? file.metrics_port ?? 9464, metricsHost: file.metrics_host ?? "127.0.0.1",
            retention: file.retention?.policy ?? RetentionPolicy())

        let services = buildServices(
            desk: desk, endpoints: endpoints, configuration: server, registry: registry, logger: logger,
            reloadFrom: (knowledgeOptions.knowledge, knowledgeOptions.intents)
        ).services
        logger.info(
            "Baken is starting",
            metadata: [
                "http": "http://\(server.host):\(server.port)", "tcp": "\(server.tcpPort)", "data": "\(dataLocation)", "node": "\((store as? PostgresStore)?.node ?? "-")",
                "intents": "\(engine.knowledge.intents.count)", "knowledge": "\(version)",
            ])
        let group = ServiceGroup(
            configuration: .init(services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            await StoreLocation.close(store)
            if "\(error)".contains("Address already in use") {
                // NIO does not say which port: name them all (two nodes on one machine need their own).
                printError(
                    "a port is already in use: http \(server.port), tcp \(server.tcpPort), metrics \(server.metricsPort) "
                        + "(each server on one machine needs its own --port, --tcp-port and --metrics-port; -1 turns one off)")
                throw ExitCode(1)
            }
            throw error
        }
        await StoreLocation.close(store)
    }
}

/// The optional YAML configuration file of `baken serve`. The desk's limits and timings are
/// read by ``DeskConfiguration`` itself from the same top-level keys; a key neither knows is an
/// error (a misspelt setting must not be ignored silently).
struct FileConfiguration: Decodable {
    var host: String?
    var port: Int?
    var tcp_port: Int?
    var data: String?
    /// A PostgreSQL URL (postgres://…) instead of SQLite in `data`.
    var database: String?
    var knowledge: String?
    var intents: String?
    var partners: String?
    var trusted_proxies: [String]?
    var allowed_origins: [String]?
    var bench: Bool?
    var metrics_port: Int?
    var metrics_host: String?
    var retention: Retention?
    /// The desk's settings (rates, limits, timeouts), from the same file.
    var deskSettings = DeskConfiguration()

    /// `retention:` — days to keep personal data (defaults in ``RetentionPolicy``).
    struct Retention: Decodable {
        var transcripts_days: Double?
        var unanswered_days: Double?
        var tickets_days: Double?
        var referrals_days: Double?

        var policy: RetentionPolicy {
            let defaults = RetentionPolicy()
            return RetentionPolicy(
                transcriptDays: transcripts_days ?? defaults.transcriptDays, unansweredDays: unanswered_days ?? defaults.unansweredDays,
                ticketDays: tickets_days ?? defaults.ticketDays, referralDays: referrals_days ?? defaults.referralDays)
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case host, port, tcp_port, data, database, knowledge, intents, partners, trusted_proxies, allowed_origins, bench, metrics_port, metrics_host
        case retention
    }

    init() {}

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        host = try c.decodeIfPresent(String.self, forKey: .host)
        port = try c.decodeIfPresent(Int.self, forKey: .port)
        tcp_port = try c.decodeIfPresent(Int.self, forKey: .tcp_port)
        data = try c.decodeIfPresent(String.self, forKey: .data)
        database = try c.decodeIfPresent(String.self, forKey: .database)
        knowledge = try c.decodeIfPresent(String.self, forKey: .knowledge)
        intents = try c.decodeIfPresent(String.self, forKey: .intents)
        partners = try c.decodeIfPresent(String.self, forKey: .partners)
        trusted_proxies = try c.decodeIfPresent([String].self, forKey: .trusted_proxies)
        allowed_origins = try c.decodeIfPresent([String].self, forKey: .allowed_origins)
        bench = try c.decodeIfPresent(Bool.self, forKey: .bench)
        metrics_port = try c.decodeIfPresent(Int.self, forKey: .metrics_port)
        metrics_host = try c.decodeIfPresent(String.self, forKey: .metrics_host)
        retention = try c.decodeIfPresent(Retention.self, forKey: .retention)
        deskSettings = try DeskConfiguration(from: decoder)
    }

    /// Every top-level key the file may have.
    static let knownKeys = Set(CodingKeys.allCases.map(\.rawValue) + DeskConfiguration.CodingKeys.allCases.map(\.rawValue))

    static func load(_ path: String?) throws -> FileConfiguration {
        guard let path else { return FileConfiguration() }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            printError("\(path): cannot read the configuration file.")
            throw ExitCode(1)
        }
        do {
            if let mapping = try Yams.compose(yaml: text)?.mapping {
                for (key, _) in mapping {
                    guard let name = key.string, !knownKeys.contains(name) else { continue }
                    let line = key.mark.map { ":\($0.line)" } ?? ""
                    printError("\(path)\(line): unknown setting '\(name)'. Known settings: \(knownKeys.sorted().joined(separator: ", ")).")
                    throw ExitCode(1)
                }
            }
            return try YAMLDecoder().decode(FileConfiguration.self, from: text)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("\(path): \(error)")
            throw ExitCode(1)
        }
    }

    func desk() -> DeskConfiguration { deskSettings }
}
