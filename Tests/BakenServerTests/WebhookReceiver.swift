import BakenServer
import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A partner's webhook receiver on loopback: verifies each signature with the documented
/// recipe and records what arrived; answers by a script (a status, or hang).
final class WebhookReceiver: Sendable {
    /// One request as received.
    struct Delivery: Sendable {
        var id: String
        var timestamp: Int
        var signature: String
        var body: String
        var verified: Bool
    }

    enum Answer: Sendable {
        case status(Int)
        case statusWithRetryAfter(Int, Int)
        case hang(seconds: Double)
    }

    let secret: String
    private let script: Mutex<[Answer]>
    private let received = Mutex<[Delivery]>([])

    /// `script` answers the requests in order; after it runs out, 200.
    init(secret: String, script: [Answer] = []) {
        self.secret = secret
        self.script = Mutex(script)
    }

    var deliveries: [Delivery] { received.withLock { $0 } }

    /// Serves on `port` (0 = any) until the task is cancelled; `ready` gets the bound port.
    func run(port: Int, ready: @escaping @Sendable (Int) -> Void) async throws {
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            let id = request.headers[.init("webhook-id")!] ?? ""
            let timestamp = Int(request.headers[.init("webhook-timestamp")!] ?? "") ?? 0
            let signature = request.headers[.init("webhook-signature")!] ?? ""
            let verified = WebhookSigner.verify(id: id, timestamp: timestamp, body: body, header: signature, secret: self.secret)
            self.received.withLock { $0.append(Delivery(id: id, timestamp: timestamp, signature: signature, body: body, verified: verified)) }
            let answer = self.script.withLock { $0.isEmpty ? Answer.status(200) : $0.removeFirst() }
            switch answer {
            case .status(let code):
                return Response(status: .init(code: code))
            case .statusWithRetryAfter(let code, let seconds):
                return Response(status: .init(code: code), headers: [.retryAfter: String(seconds)])
            case .hang(let seconds):
                try await Task.sleep(for: .seconds(seconds))
                return Response(status: .ok)
            }
        }
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .critical  // being cancelled at the end of a test is not news
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in ready(channel.localAddress?.port ?? port) }, logger: logger)
        try await app.runService(gracefulShutdownSignals: [])
    }
}
