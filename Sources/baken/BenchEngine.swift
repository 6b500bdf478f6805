import ArgumentParser
import BakenEngine
import Foundation

struct BenchEngine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-engine",
        abstract: "Measure knowledge load time, classifications per second on one core, and p50/p99 latency.")

    @Argument(help: "Utterances to classify (JSON Lines with \"text\").")
    var file = "Tests/Fixtures/eval-dev.jsonl"

    @Option(help: "How many passes over the file.")
    var rounds = 50

    @Option(help: "Also time one message of a single random word this long, with the memory it costs.")
    var longWord: Int?

    @Option(help: "Write every decision (kind, topic, question, places, candidates and scores) to this file, one line per message, to show that a speed change changes no answer.")
    var dump: String?

    @OptionGroup var options: KnowledgeOptions

    func run() throws {
        let clock = ContinuousClock()
        print(Machine.describe())
        let reference = Machine.referenceWorkload()
        print(String(format: "reference workload (sort + hash 1M integers): %.1f ms — compare machines by messages/s × this", reference * 1000))
        var base: KnowledgeBase?
        let loadTime = try clock.measure { base = try options.load() }
        var engine: Engine?
        let compileTime = clock.measure { engine = Engine(knowledge: base!) }
        let texts = try Evaluation.load(file: file).map(\.text)
        var latencies: [Duration] = []
        latencies.reserveCapacity(texts.count * rounds)
        var sink = 0
        for text in texts { sink &+= engine!.decide(text).candidates.count }  // warm up
        if let dump {
            let lines = texts.map { text -> String in
                let d = engine!.decide(text)
                let scored = (d.candidates + d.questionCandidates).map { String(format: "%@=%.9f", $0.intent, $0.score) }
                return [text, d.kind.rawValue, d.intent ?? "-", d.question ?? "-", d.places.joined(separator: ","), d.reason, scored.joined(separator: " ")]
                    .joined(separator: "\t")
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: dump, atomically: true, encoding: .utf8)
        }
        let total = clock.measure {
            for _ in 0..<rounds {
                for text in texts {
                    let start = clock.now
                    sink &+= engine!.decide(text).candidates.count
                    latencies.append(clock.now - start)
                }
            }
        }
        latencies.sort()
        func micro(_ d: Duration) -> Double { Double(d.components.attoseconds) / 1e12 + Double(d.components.seconds) * 1e6 }
        let seconds = micro(total) / 1e6
        print(String(format: "knowledge load: %.1f ms, engine compile: %.1f ms", micro(loadTime) / 1000, micro(compileTime) / 1000))
        print(String(format: "classified %d messages in %.2f s on one core: %.0f messages/s", latencies.count, seconds, Double(latencies.count) / seconds))
        print(
            String(
                format: "latency p50 %.1f µs, p99 %.1f µs, max %.1f µs", micro(latencies[latencies.count / 2]),
                micro(latencies[latencies.count * 99 / 100]), micro(latencies.last!)))
        print(String(format: "machine-independent figure: %.0f (messages/s × reference seconds)", Double(latencies.count) / seconds * reference))
        if let longWord {
            var seed: UInt64 = 42
            let word = String((0..<longWord).map { _ -> Character in
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Character(UnicodeScalar(UInt8(97 + (seed >> 33) % 26)))
            })
            let before = Machine.residentBytes()
            let start = clock.now
            let decision = engine!.decide(word)
            let elapsed = micro(clock.now - start)
            let grown = Machine.residentBytes() - before
            print(String(format: "one %d-letter word: %.2f ms, resident memory grew %.1f MB, decision %@", longWord, elapsed / 1000, Double(grown) / 1_048_576, decision.kind.rawValue))
        }
        if sink == -1 { print(sink) }
    }
}

/// What a benchmark ran on, so runs on different machines can be compared.
enum Machine {
    /// `commit …, nproc …, CPU …, swift …` on one line.
    static func describe() -> String {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) ?? "unknown"
        return "commit \(run("git", "rev-parse", "--short", "HEAD") ?? "unknown"), nproc \(ProcessInfo.processInfo.activeProcessorCount), CPU \(cpu)"
    }

    /// Seconds for a fixed CPU- and memory-bound job that does not depend on Baken's code.
    static func referenceWorkload() -> Double {
        let clock = ContinuousClock()
        var best = Double.infinity
        for _ in 0..<3 {
            let elapsed = clock.measure {
                var seed: UInt64 = 7
                var numbers: [UInt64] = []
                numbers.reserveCapacity(1_000_000)
                for _ in 0..<1_000_000 {
                    seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    numbers.append(seed >> 20)
                }
                numbers.sort()
                var counts: [UInt64: Int] = [:]
                for n in numbers.prefix(200_000) { counts[n % 50_000, default: 0] += 1 }
                if counts.count == -1 { print(counts) }
            }
            best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        return best
    }

    /// The process's resident memory (Linux), or 0.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * 4096 : 0
    }

    private static func run(_ arguments: String...) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return process.terminationStatus == 0 && !text.isEmpty ? text : nil
    }
}
