import BakenServer
import Foundation
import Yams

/// Reads the partners' webhook settings (`deploy/partners.example.yaml`): the URL from the
/// file, the signing secret from an environment variable or a secret file.
enum PartnersFile {
    struct Entry: Decodable {
        var url: String
        var secret_env: String?
        var secret_file: String?
        var local: Bool?
        var max_concurrency: Int?
        var timeout_seconds: Double?
    }

    struct File: Decodable {
        var partners: [String: Entry]
    }

    static func load(_ path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [PartnerEndpoint] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw PartnerConfigurationError(description: "\(path): cannot read the partners file.")
        }
        let file: File
        do {
            file = try YAMLDecoder().decode(File.self, from: text)
        } catch {
            throw PartnerConfigurationError(description: "\(path): \(error)")
        }
        return try file.partners.sorted { $0.key < $1.key }.map { id, entry in
            var secret: String?
            if let name = entry.secret_env { secret = environment[name] }
            if secret == nil, let secretFile = entry.secret_file {
                secret = (try? String(contentsOfFile: secretFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            guard let secret, !secret.isEmpty else {
                throw PartnerConfigurationError(
                    description: "\(path): partner '\(id)' has no signing secret: set the environment variable \(entry.secret_env ?? "(secret_env)") or secret_file.")
            }
            let endpoint = PartnerEndpoint(
                partner: id, url: entry.url, secret: secret, local: entry.local ?? false, maxConcurrency: entry.max_concurrency ?? 2,
                timeout: entry.timeout_seconds ?? 15)
            guard endpoint.isAllowed else {
                throw PartnerConfigurationError(description: "\(path): partner '\(id)': only https:// URLs are allowed (or http://127.0.0.1 with `local: true`).")
            }
            return endpoint
        }
    }
}
