import BakenDesk
import BakenEngine
import Crypto
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// Reloads `knowledge/` and `intents/` while the server runs: on `SIGHUP`, and when a file
/// in them changes (checked every `interval`). A knowledge base with errors is refused — the
/// `baken check` errors are logged and the old answers stay in use; conversations in flight
/// are never dropped. `/health` shows the version in use.
public final class KnowledgeReloader: Service, Sendable {
    let desk: Desk
    let knowledge: String
    let intents: String
    let interval: Duration
    let logger: Logger
    /// The files' names, sizes and modification times at the last look.
    private let fingerprint: Mutex<String>
    /// One reload at a time (SIGHUP and the file watch may fire together).
    private let serial = Mutex(0)

    /// Creates the reloader for the directories the desk's knowledge came from.
    public init(desk: Desk, knowledge: String, intents: String, interval: Duration = .seconds(2), logger: Logger) {
        self.desk = desk
        self.knowledge = knowledge
        self.intents = intents
        self.interval = interval
        self.logger = logger
        self.fingerprint = Mutex(Self.fingerprint(of: [knowledge, intents]))
    }

    public func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in hangups { self.reload(reason: "SIGHUP") }
                }
                group.addTask {
                    while (try? await Task.sleep(for: self.interval)) != nil { self.reloadIfChanged() }
                }
                await group.next()
                group.cancelAll()
            }
        }
    }

    /// Reloads when a file was added, removed or changed since the last look.
    public func reloadIfChanged() {
        let now = Self.fingerprint(of: [knowledge, intents])
        let changed = fingerprint.withLock { old in
            defer { old = now }
            return old != now
        }
        if changed { reload(reason: "files changed") }
    }

    /// Loads and checks the files; on success the desk answers from them from the next
    /// message on. Returns the new version, or nil when the files were refused.
    @discardableResult
    public func reload(reason: String) -> String? {
        serial.withLock { reloads in
            reloads += 1
            let version = Self.version(of: [knowledge, intents])
            do {
                let base = try KnowledgeLoader(knowledge: knowledge, intents: intents).loadValidated()
                if Self.version(of: [knowledge, intents]) != version {
                    // Saved again while loading: what was read may be a mix; the next look reloads.
                    fingerprint.withLock { $0 = "" }
                }
                desk.replaceKnowledge(Engine(knowledge: base), version: version)
                logger.notice("knowledge reloaded", metadata: ["reason": "\(reason)", "version": "\(version)", "intents": "\(base.intents.count)"])
                return version
            } catch {
                logger.error(
                    "knowledge reload refused; the previous knowledge stays in use",
                    metadata: ["reason": "\(reason)", "errors": "\(error)"])
                return nil
            }
        }
    }

    /// Every regular file under `directories`, sorted by path.
    static func files(in directories: [String]) -> [(path: String, url: URL)] {
        var files: [(String, URL)] = []
        for directory in directories {
            let root = URL(fileURLWithPath: directory)
            guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { continue }
            for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                files.append((directory + "/" + url.path.dropFirst(root.path.count), url))
            }
        }
        return files.sorted { $0.0 < $1.0 }
    }

    static func fingerprint(of directories: [String]) -> String {
        files(in: directories).map { file in
            let attributes = try? FileManager.default.attributesOfItem(atPath: file.url.path)
            let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(file.path) \(size) \(modified)"
        }.joined(separator: "\n")
    }

    /// SHA-256 over the files' paths and contents, first 12 hex digits: the same files give
    /// the same version on every machine.
    public static func version(of directories: [String]) -> String {
        var hash = SHA256()
        for file in files(in: directories) {
            hash.update(data: Data(file.path.utf8))
            hash.update(data: (try? Data(contentsOf: file.url)) ?? Data())
        }
        return hash.finalize().map { String(format: "%02x", $0) }.joined().prefix(12).description
    }
}
