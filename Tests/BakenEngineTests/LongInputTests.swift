import Foundation
import Testing

@testable import BakenEngine


/// Long and random words must cost bounded time and memory: a 2,000-character word once drove
/// the server to 7.6 GB, because the spelling corrector expanded every deletion variant.
@Suite struct LongInputTests {
    let engine = Shipped.engine

    /// The process's resident memory in bytes (Linux `/proc/self/statm`), or nil elsewhere.
    static func heapInUse() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * 4096
    }

    static func randomWord(_ length: Int, seed: inout UInt64) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        var result = ""
        result.reserveCapacity(length)
        for _ in 0..<length {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            result.append(letters[Int((seed >> 33) % 26)])
        }
        return result
    }

    @Test func aTwoThousandLetterWordIsCheapAndNotAnswered() throws {
        var seed: UInt64 = 42
        let word = Self.randomWord(2000, seed: &seed)
        let before = Self.heapInUse()
        let start = ContinuousClock.now
        let decision = engine.decide(word)
        let elapsed = ContinuousClock.now - start
        #expect(decision.kind != .answer)
        // Before the fix this took over 50 s and gigabytes; a debug build now needs milliseconds.
        // The bound is loose on purpose: it catches the quadratic-to-cubic blow-up, not noise.
        #expect(elapsed < .seconds(2), "took \(elapsed)")
        // Other suites run in parallel in this process, so the bound has head room; the exact
        // figure for one word alone is printed by `baken bench-engine --long-word` (BENCHMARKS.md).
        if let before, let after = Self.heapInUse() {
            #expect(after - before < 64 * 1024 * 1024, "heap grew by \(after - before) bytes")
        }
    }

    @Test(arguments: [20, 40, 80, 300, 1000, 2000])
    func randomMessagesOfLongWordsStayBounded(length: Int) {
        var seed = UInt64(length)
        var worst: Duration = .zero
        for _ in 0..<5 {
            let text = (0..<3).map { _ in Self.randomWord(length, seed: &seed) }.joined(separator: " ")
            let start = ContinuousClock.now
            _ = engine.analyze(text)
            worst = max(worst, ContinuousClock.now - start)
        }
        #expect(worst < .seconds(1), "worst \(worst) for words of \(length) letters")
    }

    @Test func correctorRefusesWordsLongerThanItsVocabularyAllows() {
        let corrector = SpellingCorrector(vocabulary: ["wachtwoord": 3, "gebruikersnaam": 2])
        #expect(corrector.longestWord == 14)
        #expect(corrector.correct("wachtwoort") == "wachtwoord")
        #expect(corrector.correct(String(repeating: "a", count: 17)) == nil)
    }

    @Test func aLongWordBesideARealQuestionStillGetsTheAnswer() {
        var seed: UInt64 = 7
        let decision = engine.decide("wachtwoord digid vergeten " + Self.randomWord(1500, seed: &seed))
        #expect(decision.intent == "digid_inloggen")
    }
}
