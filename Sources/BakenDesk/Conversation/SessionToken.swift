import Crypto
import Foundation

/// Session tokens: 256 random bits from the system CSPRNG, base64url; only their SHA-256 is stored.
public enum SessionToken {
    /// A new unguessable token.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The stored form of a token: SHA-256, hex.
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Compares two stored hashes in time independent of where they differ.
    public static func sameHash(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    /// A public conversation id (not a secret): `c_` and 16 hex digits.
    public static func conversationID() -> String {
        var generator = SystemRandomNumberGenerator()
        return "c_" + String(format: "%016llx", UInt64.random(in: 0...UInt64.max, using: &generator))
    }
}
