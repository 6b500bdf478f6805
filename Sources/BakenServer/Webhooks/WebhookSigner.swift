import Crypto
import Foundation

/// Standard Webhooks signatures: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`.
///
/// A secret written as `whsec_<base64>` is decoded (as the Standard Webhooks libraries do);
/// any other secret is used as its UTF-8 bytes.
public enum WebhookSigner {
    /// The signing key of a secret.
    public static func key(_ secret: String) -> SymmetricKey {
        if secret.hasPrefix("whsec_"), let bytes = Data(base64Encoded: String(secret.dropFirst(6))) { return SymmetricKey(data: bytes) }
        return SymmetricKey(data: Data(secret.utf8))
    }

    /// The `webhook-signature` header value.
    public static func signature(id: String, timestamp: Int, body: String, secret: String) -> String {
        let content = Data("\(id).\(timestamp).\(body)".utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: content, using: key(secret))
        return "v1," + Data(mac).base64EncodedString()
    }

    /// Verifies a signature header (which may hold several, space-separated) and the replay
    /// window, as a partner would.
    public static func verify(
        id: String, timestamp: Int, body: String, header: String, secret: String, now: Date = Date(), tolerance: TimeInterval = 300
    ) -> Bool {
        guard abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else { return false }
        let expected = signature(id: id, timestamp: timestamp, body: body, secret: secret)
        return header.split(separator: " ").contains { candidate in
            let a = Array(candidate.utf8), b = Array(expected.utf8)
            guard a.count == b.count else { return false }
            return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
        }
    }
}
