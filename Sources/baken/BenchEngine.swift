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

    @OptionGroup var options: KnowledgeOptions

    func run() throws {
        let clock = ContinuousClock()
        var base: KnowledgeBase?
        let loadTime = try clock.measure { base = try options.load() }
        var engine: Engine?
        let compileTime = clock.measure { engine = Engine(knowledge: base!) }
        let texts = try Evaluation.load(file: file).map(\.text)
        var latencies: [Duration] = []
        latencies.reserveCapacity(texts.count * rounds)
        var sink = 0
        for text in texts { sink &+= engine!.decide(text).candidates.count }  // warm up
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
        if sink == -1 { print(sink) }
    }
}
