import BakenDesk
import FuzzSupport
import BakenEngine
import Foundation

/// The shipped knowledge base, compiled once (run from the repository root, or set BAKEN_ROOT).
let engine: Engine = {
    let root = ProcessInfo.processInfo.environment["BAKEN_ROOT"] ?? FileManager.default.currentDirectoryPath
    do {
        let knowledge = try KnowledgeLoader(knowledge: root + "/knowledge", intents: root + "/intents").loadValidated()
        return Engine(knowledge: knowledge)
    } catch {
        fatalError("cannot load the knowledge base under \(root): \(error)")
    }
}()

/// Loads the knowledge before the first input: under ASan that takes seconds, which would
/// otherwise count against the first input's time limit.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: OpaquePointer?, _ argv: OpaquePointer?) -> CInt {
    _ = engine
    return 0
}

/// Any text a resident can send (up to the 2,000 characters the desk accepts): reading,
/// spelling correction, matching and rendering finish (libFuzzer's -timeout and
/// -malloc_limit_mb bound time and memory) and give a reply with text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzText(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    guard text.count <= DeskConfiguration().maxTextLength else { return 0 }
    let masked = PrivacyFilter.mask(text)
    let decision = engine.decide(masked)
    let reply = engine.render(decision)
    expect(!reply.text.isEmpty, "an empty reply")
    return 0
}
