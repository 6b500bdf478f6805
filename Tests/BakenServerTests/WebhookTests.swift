import BakenDesk
import BakenEngine
import BakenServer
import BakenStore
import BakenTesting
import Foundation
import NIOPosix
import Testing

/// Referral webhooks over real HTTP on loopback.
@Suite(.serialized) struct WebhookTests {
    static let secret = "whsec_" + Data("a test secret of thirty-two bytes".utf8).base64EncodedString()
    static let fast = RetryPolicy(schedule: [0.1, 0.2, 0.3, 0.4], jitter: 0)

    /// A conversation, a queued referral and its outbox event, as the desk commits them.
    static func queuedReferral(in store: any ConversationStore, fields: [String: String] = ["first_name": "Fatima"]) async throws -> OutboxRecord {
        let now = Date()
        let conversation = ConversationRecord(id: SessionToken.conversationID(), sessionHash: SessionToken.hash(SessionToken.make()), language: .nl, location: nil, now: now)
        let referral = ReferralRecord(
            id: "r_" + UUID().uuidString.prefix(8), conversation: conversation.id, partner: "taalhuis", status: .queued, fields: fields,
            requestedBy: "bot", createdAt: now, updatedAt: now)
        let event = OutboxRecord(
            id: "evt_" + UUID().uuidString.prefix(8), referral: referral.id, partner: "taalhuis",
            payload: #"{"data":{"fields":{"first_name":"Fatima"}},"type":"referral.created"}"#, nextAttemptAt: now, createdAt: now)
        try await store.commit([.conversation(conversation), .referral(referral), .outbox(event)])
        return event
    }

    static func endpoint(_ port: Int, timeout: TimeInterval = 2) -> PartnerEndpoint {
        PartnerEndpoint(partner: "taalhuis", url: "http://127.0.0.1:\(port)/hook", secret: secret, local: true, timeout: timeout)
    }

    /// Runs the worker until `done` holds (or 15 s pass), then stops it.
    static func runWorker(
        store: any ConversationStore, endpoint: PartnerEndpoint, policy: RetryPolicy = fast, until done: @escaping @Sendable () async throws -> Bool
    ) async throws {
        let worker = WebhookWorker(store: store, endpoints: [endpoint], policy: policy, pollInterval: .milliseconds(20))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await worker.run() }
            let deadline = ContinuousClock.now + .seconds(15)
            while try await !done(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            group.cancelAll()
        }
    }

    /// Starts a receiver; returns its port once it listens.
    static func start(_ receiver: WebhookReceiver, port: Int = 0, in group: inout ThrowingTaskGroup<Void, any Error>) async -> Int {
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        group.addTask { try await receiver.run(port: port) { continuation.yield($0) } }
        for await bound in stream { return bound }
        return port
    }

    static func event(_ store: any ConversationStore, _ id: String, referral: String) async throws -> OutboxRecord? {
        try await store.events(referral: referral).first { $0.id == id }
    }

    @Test func deliveredOnceWithAValidSignature() async throws {
        let store = MemoryStore()
        let event = try await Self.queuedReferral(in: store)
        let receiver = WebhookReceiver(secret: Self.secret)
        try await withThrowingTaskGroup(of: Void.self) { group in
            let port = await Self.start(receiver, in: &group)
            try await Self.runWorker(store: store, endpoint: Self.endpoint(port)) {
                try await Self.event(store, event.id, referral: event.referral)?.status == .delivered
            }
            group.cancelAll()
        }
        #expect(receiver.deliveries.count == 1)
        #expect(receiver.deliveries.first?.id == event.id)
        #expect(receiver.deliveries.first?.body == event.payload)
        #expect(receiver.deliveries.first?.verified == true)
        #expect(try await store.referral(id: event.referral)?.status == .delivered)
        let attempts = try await store.attempts(event: event.id)
        #expect(attempts.map(\.statusCode) == [200])
    }

    @Test func receiverDownIsRetriedAndDeliveredWhenItComesBack() async throws {
        let store = MemoryStore()
        let event = try await Self.queuedReferral(in: store)
        // A free port with nothing listening yet.
        let probe = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = probe.localAddress!.port!
        try await probe.close()
        let receiver = WebhookReceiver(secret: Self.secret)
        // Enough 1 s retries that a slow start of the receiver on a loaded machine is still in time.
        let slow = RetryPolicy(schedule: [0.2, 0.3, 0.5] + Array(repeating: 1, count: 27), jitter: 0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await Self.runWorker(store: store, endpoint: Self.endpoint(port), policy: slow) {
                    try await Self.event(store, event.id, referral: event.referral)?.status == .delivered
                }
            }
            let deadline = ContinuousClock.now + .seconds(30)
            while try await store.attempts(event: event.id).count < 2 {
                // No two refused attempts within the deadline.
                guard ContinuousClock.now < deadline else { throw TestClientError.timeout(.seconds(30)) }
                try await Task.sleep(for: .milliseconds(20))
            }
            _ = await Self.start(receiver, port: port, in: &group)
            while try await Self.event(store, event.id, referral: event.referral)?.status != .delivered {
                // Not delivered after the receiver came back.
                guard ContinuousClock.now < deadline else { throw TestClientError.timeout(.seconds(30)) }
                try await Task.sleep(for: .milliseconds(20))
            }
            group.cancelAll()
        }
        let attempts = try await store.attempts(event: event.id)
        #expect(attempts.count >= 3)
        let refused = attempts.dropLast().allSatisfy { $0.statusCode == nil && $0.error != nil }
        #expect(refused, "refused connections are logged as errors")
        #expect(attempts.last?.statusCode == 200)
        #expect(receiver.deliveries.count == 1)
    }

    @Test func serverErrorThenSuccessKeepsTheSameEventID() async throws {
        let store = MemoryStore()
        let event = try await Self.queuedReferral(in: store)
        let receiver = WebhookReceiver(secret: Self.secret, script: [.status(500), .status(503)])
        try await withThrowingTaskGroup(of: Void.self) { group in
            let port = await Self.start(receiver, in: &group)
            try await Self.runWorker(store: store, endpoint: Self.endpoint(port)) {
                try await Self.event(store, event.id, referral: event.referral)?.status == .delivered
            }
            group.cancelAll()
        }
        #expect(receiver.deliveries.map(\.id) == [event.id, event.id, event.id], "webhook-id is stable across retries")
        let allVerified = receiver.deliveries.allSatisfy { $0.verified }
        #expect(allVerified)
        #expect(try await store.attempts(event: event.id).map(\.statusCode) == [500, 503, 200])
    }

    @Test func badRequestIsFinalAndDead() async throws {
        let store = MemoryStore()
        let event = try await Self.queuedReferral(in: store)
        let receiver = WebhookReceiver(secret: Self.secret, script: [.status(400)])
        try await withThrowingTaskGroup(of: Void.self) { group in
            let port = await Self.start(receiver, in: &group)
            try await Self.runWorker(store: store, endpoint: Self.endpoint(port)) {
                try await Self.event(store, event.id, referral: event.referral)?.status == .dead
            }
            try await Task.sleep(for: .milliseconds(300))  // no retry may follow
            group.cancelAll()
        }
        #expect(receiver.deliveries.count == 1)
        #expect(try await store.referral(id: event.referral)?.status == .dead)
        #expect(try await store.referrals(status: .dead).map(\.id) == [event.referral], "visible as dead")
    }

    @Test func hangingReceiverTimesOutAndIsRetried() async throws {
        let store = MemoryStore()
        let event = try await Self.queuedReferral(in: store)
        let receiver = WebhookReceiver(secret: Self.secret, script: [.hang(seconds: 3)])
        try await withThrowingTaskGroup(of: Void.self) { group in
            let port = await Self.start(receiver, in: &group)
            try await Self.runWorker(store: store, endpoint: Self.endpoint(port, timeout: 0.5)) {
                try await Self.event(store, event.id, referral: event.referral)?.status == .delivered
            }
            group.cancelAll()
        }
        let attempts = try await store.attempts(event: event.id)
        #expect(attempts.first?.error == "timeout")
        #expect(attempts.last?.statusCode == 200)
    }

    @Test func committedButNotDeliveredBeforeACrashIsDeliveredAfterRestart() async throws {
        let directory = NSTemporaryDirectory() + "baken-webhook-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/baken.sqlite"
        // The first process committed the referral and its outbox row, then died before delivering.
        let event = try await Self.queuedReferral(in: try SQLiteStore(path: path))
        // A new process opens the same file.
        let store = try SQLiteStore(path: path)
        let receiver = WebhookReceiver(secret: Self.secret)
        try await withThrowingTaskGroup(of: Void.self) { group in
            let port = await Self.start(receiver, in: &group)
            try await Self.runWorker(store: store, endpoint: Self.endpoint(port)) {
                try await Self.event(store, event.id, referral: event.referral)?.status == .delivered
            }
            group.cancelAll()
        }
        #expect(receiver.deliveries.map(\.id) == [event.id])
    }

    @Test func tamperedBodyFailsVerification() {
        let timestamp = Int(Date().timeIntervalSince1970)
        let body = #"{"data":{"fields":{"first_name":"Fatima"}}}"#
        let header = WebhookSigner.signature(id: "evt_1", timestamp: timestamp, body: body, secret: Self.secret)
        #expect(WebhookSigner.verify(id: "evt_1", timestamp: timestamp, body: body, header: header, secret: Self.secret))
        #expect(!WebhookSigner.verify(id: "evt_1", timestamp: timestamp, body: body.replacingOccurrences(of: "Fatima", with: "Mallory"), header: header, secret: Self.secret))
        #expect(!WebhookSigner.verify(id: "evt_2", timestamp: timestamp, body: body, header: header, secret: Self.secret))
        #expect(!WebhookSigner.verify(id: "evt_1", timestamp: timestamp - 600, body: body, header: WebhookSigner.signature(id: "evt_1", timestamp: timestamp - 600, body: body, secret: Self.secret), secret: Self.secret), "outside the replay window")
        #expect(WebhookSigner.verify(id: "evt_1", timestamp: timestamp, body: body, header: "v1,bm9wZQ== " + header, secret: Self.secret), "one of several signatures may match")
    }

    @Test func retryPolicyFollowsTheSchedule() {
        let policy = RetryPolicy(schedule: [5, 300], jitter: 0)
        #expect(policy.next(after: 1, .status(204, retryAfter: nil)) == .delivered)
        #expect(policy.next(after: 1, .status(500, retryAfter: nil)) == .retry(after: 5))
        #expect(policy.next(after: 2, .failure("timeout")) == .retry(after: 300))
        #expect(policy.next(after: 3, .status(502, retryAfter: nil)) == .dead(reason: "HTTP 502 after 3 attempts"))
        #expect(policy.next(after: 1, .status(429, retryAfter: 60)) == .retry(after: 60), "Retry-After is honoured")
        #expect(policy.next(after: 1, .status(408, retryAfter: nil)) == .retry(after: 5))
        #expect(policy.next(after: 1, .status(410, retryAfter: nil)) == .dead(reason: "HTTP 410 is final"))
        #expect(policy.next(after: 1, .status(301, retryAfter: nil)) == .dead(reason: "HTTP 301 is final"), "redirects are not followed")
        let jittered = RetryPolicy(schedule: [100], jitter: 0.2)
        #expect(jittered.next(after: 1, .failure("x"), random: 1) == .retry(after: 120))
        #expect(jittered.next(after: 1, .failure("x"), random: -1) == .retry(after: 80))
        #expect(!PartnerEndpoint(partner: "x", url: "http://example.org/hook", secret: "s").isAllowed, "plain http is refused")
        #expect(!PartnerEndpoint(partner: "x", url: "http://example.org/hook", secret: "s", local: true).isAllowed, "local means loopback only")
        #expect(PartnerEndpoint(partner: "x", url: "https://example.org/hook", secret: "s").isAllowed)
    }

    // MARK: - Consent over the protocol

    /// A resident reaches the Taalhuis answer, chooses the referral button and gets the consent request.
    static func consentRequest(_ desk: Desk, partnerQuestion: String = "ik wil beter nederlands leren", option: String = "refer:taalhuis") async throws
        -> (DeskTestClient, [String: Any])
    {
        let resident = await DeskTestClient.open(desk)
        await resident.send(["type": "hello", "lang": "nl", "location": "den_helder"])
        _ = try await resident.next()
        _ = try await resident.next()
        await resident.send(["type": "say", "id": "1", "text": partnerQuestion + ", mijn bsn is 111222333"])
        _ = try await resident.next()
        let answer = try await resident.next()
        let options = (answer["options"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(options.contains(option), "the answer offers the partner: \(options)")
        await resident.send(["type": "choose", "id": "2", "option": option])
        _ = try await resident.next()
        let request = try await resident.next()
        #expect(request["type"] as? String == "consent_request")
        return (resident, request)
    }

    @Test func declinedConsentSendsNothing() async throws {
        let store = MemoryStore()
        let desk = Desk(engine: ShippedKnowledge.engine, store: store)
        let (resident, request) = try await Self.consentRequest(desk)
        let referral = try #require(request["referral"] as? String)
        await resident.send(["type": "consent", "id": "3", "referral": referral, "accept": false])
        _ = try await resident.next()  // ack
        let status = try await resident.next()
        #expect(status["type"] as? String == "referral")
        #expect(status["status"] as? String == "cancelled")
        #expect(try await store.referral(id: referral)?.status == .cancelled)
        #expect(try await store.events(referral: referral).isEmpty, "no outbox row: nothing will be sent")
    }

    @Test func onlyConsentedFieldsAreSent() async throws {
        let store = MemoryStore()
        let desk = Desk(engine: ShippedKnowledge.engine, store: store)
        // Digisterker may not receive a summary, even though the desk knows the question.
        let (resident, request) = try await Self.consentRequest(desk, partnerQuestion: "ik wil de cursus digisterker volgen", option: "refer:digisterker")
        let shown = Set((request["fields"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
        #expect(!shown.contains("summary"))
        let referral = try #require(request["referral"] as? String)
        await resident.send(["type": "consent", "id": "3", "referral": referral, "accept": true])
        #expect(try await resident.next()["code"] as? String == "missing_field", "first name and contact must be filled in")
        await resident.send(["type": "consent", "id": "4", "referral": referral, "accept": true, "first_name": "Fatima", "contact": "0612345678"])
        _ = try await resident.next()  // ack
        #expect(try await resident.next()["status"] as? String == "queued")
        let event = try #require(try await store.events(referral: referral).first)
        let payload = try #require(try JSONSerialization.jsonObject(with: Data(event.payload.utf8)) as? [String: Any])
        let fields = try #require((payload["data"] as? [String: Any])?["fields"] as? [String: String])
        #expect(Set(fields.keys).isSubset(of: shown), "only fields the resident saw")
        #expect(fields["first_name"] == "Fatima")
        #expect(fields["summary"] == nil)
        #expect(!event.payload.contains("111222333"), "never the BSN")

        // And it arrives signed at a receiver.
        let receiver = WebhookReceiver(secret: Self.secret)
        try await withThrowingTaskGroup(of: Void.self) { group in
            let port = await Self.start(receiver, in: &group)
            let endpoint = PartnerEndpoint(partner: "digisterker", url: "http://127.0.0.1:\(port)/hook", secret: Self.secret, local: true)
            let worker = WebhookWorker(store: store, endpoints: [endpoint], policy: Self.fast, desk: desk, pollInterval: .milliseconds(20))
            group.addTask { try await worker.run() }
            while try await store.referral(id: referral)?.status != .delivered { try await Task.sleep(for: .milliseconds(20)) }
            group.cancelAll()
        }
        #expect(receiver.deliveries.count == 1 && receiver.deliveries[0].verified)
        let delivered = try await resident.next()
        #expect(delivered["type"] as? String == "referral" && delivered["status"] as? String == "delivered", "the resident sees it arrived")
    }
}

/// A referral nobody could receive is never offered.
@Suite struct ReferralOfferTests {
    @Test func partnersWithoutAWebhookAreNotOffered() async throws {
        var configuration = DeskConfiguration()
        configuration.referralPartners = ["digisterker"]  // only this one has an endpoint
        let desk = Desk(engine: ShippedKnowledge.engine, store: MemoryStore(), configuration: configuration)
        let resident = await DeskTestClient.open(desk)
        await resident.send(["type": "hello", "lang": "nl"])
        _ = try await resident.next()
        _ = try await resident.next()
        await resident.send(["type": "say", "id": "1", "text": "ik wil beter nederlands leren"])
        _ = try await resident.next()
        let answer = try await resident.next()
        #expect(answer["intent"] as? String == "taalhuis")
        let options = (answer["options"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(!options.contains { $0.hasPrefix("refer:") }, "no sign-up button for a partner without a webhook: \(options)")

        // Still a clear referral: who they are, what they do, how to reach them — and it counts.
        #expect(options.contains("contact:taalhuis"), "\(options)")
        await resident.send(["type": "choose", "id": "2", "option": "contact:taalhuis"])
        _ = try await resident.next()  // ack
        let card = try await resident.next()
        let text = card["text"] as? String ?? ""
        #expect(card["decision"] as? String == "referral_contact")
        #expect(text.contains("Taalhuis") && text.contains("Nederlands"), "who and what: \(text)")
        #expect(text.contains("niet door"), "says nothing was passed on: \(text)")
        let links = (card["links"] as? [[String: Any]] ?? []).compactMap { $0["url"] as? String }
        #expect(links.contains { $0.hasPrefix("https://") }, "how to reach them: \(links)")
        await resident.send(["type": "bye"])
        var closed = try await resident.next()
        while closed["type"] as? String != "closed" { closed = try await resident.next() }  // the goodbye reply first
        #expect(closed["outcome"] as? String == "referred", "\(closed)")
    }
}
