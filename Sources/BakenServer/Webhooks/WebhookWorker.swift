import AsyncHTTPClient
import BakenDesk
import Foundation
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization

/// Delivers the outbox: posts each pending event, signed, to its partner; retries by the
/// policy; records every attempt; parks events as dead after the last try. At-least-once:
/// an event is marked delivered only after a 2xx, and its id never changes.
public final class WebhookWorker: Service {
    private let store: any ConversationStore
    private let endpoints: [String: PartnerEndpoint]
    private let policy: RetryPolicy
    private let desk: Desk?
    private let pollInterval: Duration
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let inFlight = Mutex<[String: Int]>([:])  // event id → 1; partner → count under "p:" keys

    /// Creates the worker.
    public init(
        store: any ConversationStore, endpoints: [PartnerEndpoint], policy: RetryPolicy = .init(), desk: Desk? = nil,
        pollInterval: Duration = .milliseconds(500), now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "baken.webhooks")
    ) {
        self.store = store
        self.endpoints = Dictionary(endpoints.map { ($0.partner, $0) }, uniquingKeysWith: { $1 })
        self.policy = policy
        self.desk = desk
        self.pollInterval = pollInterval
        self.now = now
        self.logger = logger
    }

    public func run() async throws {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(30)))
        configuration.httpVersion = .automatic
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                // Ask per partner, so a slow partner's backlog never hides another partner's events;
                // take only what there is room for: claimed events are this node's until the lease ends.
                var due: [OutboxRecord] = []
                let time = now()
                let until = time.addingTimeInterval(Self.claimLease)
                for endpoint in endpoints.values {
                    let room = endpoint.maxConcurrency - inFlightCount(endpoint.partner)
                    guard room > 0 else { continue }
                    due += (try? await store.claimDueEvents(.partner(endpoint.partner), now: time, until: until, limit: room)) ?? []
                }
                due += (try? await store.claimDueEvents(.otherThan(Set(endpoints.keys)), now: time, until: until, limit: 20)) ?? []
                for event in due where claim(event) {
                    group.addTask { await self.deliver(event, client: client) }
                }
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.pollInterval) }
            }
        }
        try? await client.shutdown()
    }

    /// How long a claimed event stays this node's (longer than one attempt can take: 5 s to
    /// connect, 30 s to answer); if the node dies, another delivers it after this.
    static let claimLease: TimeInterval = 120

    /// Events of `partner` being delivered now.
    private func inFlightCount(_ partner: String) -> Int { inFlight.withLock { $0["p:" + partner, default: 0] } }

    /// Marks an event in flight if its partner has room; false means skip it this round.
    private func claim(_ event: OutboxRecord) -> Bool {
        let limit = endpoints[event.partner]?.maxConcurrency ?? 1
        return inFlight.withLock { state in
            guard state[event.id] == nil, state["p:" + event.partner, default: 0] < limit else { return false }
            state[event.id] = 1
            state["p:" + event.partner, default: 0] += 1
            return true
        }
    }

    private func release(_ event: OutboxRecord) {
        inFlight.withLock { state in
            state[event.id] = nil
            state["p:" + event.partner, default: 1] -= 1
        }
    }

    /// One attempt for one event, then its bookkeeping in one transaction.
    func deliver(_ event: OutboxRecord, client: HTTPClient) async {
        defer { release(event) }
        let attempt = event.attempts + 1
        let started = ContinuousClock.now
        let result: RetryPolicy.Result
        if let endpoint = endpoints[event.partner], endpoint.isAllowed {
            result = await post(event, to: endpoint, client: client)
        } else {
            result = .status(0, retryAfter: nil)  // no allowed endpoint: final, visible, re-deliverable
        }
        let elapsed = ContinuousClock.now - started
        let milliseconds = Int(elapsed.nanoseconds / 1_000_000)
        var action = policy.next(after: attempt, result)
        if endpoints[event.partner]?.isAllowed != true { action = .dead(reason: "no https endpoint configured for partner '\(event.partner)'") }
        let time = now()
        var updated = event
        updated.attempts = attempt
        var code: Int?
        var errorText: String?
        switch result {
        case .status(let status, _): code = status == 0 ? nil : status
        case .failure(let reason): errorText = reason
        }
        var referralStatus: ReferralRecord.Status?
        switch action {
        case .delivered:
            updated.status = .delivered
            updated.lastError = nil
            referralStatus = .delivered
        case .retry(let delay):
            updated.nextAttemptAt = time.addingTimeInterval(delay)
            updated.lastError = errorText ?? code.map { "HTTP \($0)" }
        case .dead(let reason):
            updated.status = .dead
            updated.lastError = reason
            referralStatus = .dead
            errorText = errorText ?? reason
        }
        var writes: [StoreWrite] = [
            .attempt(DeliveryAttemptRecord(event: event.id, attempt: attempt, statusCode: code, latencyMilliseconds: milliseconds, error: errorText, at: time)),
            .outbox(updated),
        ]
        if let referralStatus, var referral = try? await store.referral(id: event.referral) {
            referral.status = referralStatus
            referral.updatedAt = time
            writes.append(.referral(referral))
        }
        do {
            try await store.commit(writes)
        } catch {
            logger.error("cannot record a delivery attempt", metadata: ["event": "\(event.id)", "error": "\(error)"])
            return
        }
        let outcome = switch action {
        case .delivered: "delivered"
        case .retry: "retry"
        case .dead: "dead"
        }
        Counter(label: "baken_webhook_attempts_total", dimensions: [("partner", event.partner), ("result", outcome)]).increment()
        logger.info(
            "webhook attempt",
            metadata: [
                "event": "\(event.id)", "partner": "\(event.partner)", "attempt": "\(attempt)", "status": "\(code.map(String.init) ?? "-")",
                "latency_ms": "\(milliseconds)", "outcome": "\(action)",
            ])
        if let referralStatus, let desk { await desk.referralChanged(event.referral, status: referralStatus) }
    }

    private func post(_ event: OutboxRecord, to endpoint: PartnerEndpoint, client: HTTPClient) async -> RetryPolicy.Result {
        let timestamp = Int(now().timeIntervalSince1970)
        var request = HTTPClientRequest(url: endpoint.url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "user-agent", value: "Baken-Webhooks/1")
        request.headers.add(name: "webhook-id", value: event.id)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        request.headers.add(
            name: "webhook-signature", value: WebhookSigner.signature(id: event.id, timestamp: timestamp, body: event.payload, secret: endpoint.secret))
        request.body = .bytes(ByteBuffer(string: event.payload))
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(endpoint.timeout * 1000)))
            _ = try? await response.body.collect(upTo: 64 * 1024)  // read, with a cap; the content does not matter
            let retryAfter = response.headers.first(name: "retry-after").flatMap(TimeInterval.init)
            return .status(Int(response.status.code), retryAfter: retryAfter)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return .failure("timeout")
        } catch {
            return .failure("\(error)")
        }
    }
}
