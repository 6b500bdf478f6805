/// Corrects a word against a vocabulary with symmetric deletes (SymSpell): fast look-ups,
/// an edit budget that grows with word length, ties broken by how often a word is used.
struct SpellingCorrector: Sendable {
    private var words: [String] = []
    /// The words as characters, split once (comparing needs them for every candidate).
    private var characters: [[Character]] = []
    private var frequency: [Int] = []
    private var deletes: [String: [Int32]] = [:]
    /// The longest vocabulary word, in characters. A word longer than this plus the edit
    /// budget can match nothing, so it is never expanded: that keeps the work per word
    /// bounded (deletion variants grow with the square of the length).
    private(set) var longestWord = 0

    /// The edit budget for a word: none up to 4 letters, 1 up to 7, then 2.
    static func budget(_ length: Int) -> Int { length <= 4 ? 0 : (length <= 7 ? 1 : 2) }

    init(vocabulary: [String: Int]) {
        for (word, count) in vocabulary.sorted(by: { $0.key < $1.key }) where word.count >= 4 {
            let index = Int32(words.count)
            words.append(word)
            characters.append(Array(word))
            frequency.append(count)
            longestWord = max(longestWord, word.count)
            for variant in Self.variants(word, depth: 2) { deletes[variant, default: []].append(index) }
        }
    }

    /// The closest vocabulary word within the budget, or nil.
    func correct(_ word: String) -> String? {
        let chars = Array(word)
        let budget = Self.budget(chars.count)
        guard budget > 0, chars.count <= longestWord + budget else { return nil }
        var best: (word: String, distance: Int, frequency: Int)?
        var seen = Set<Int32>()
        for variant in Self.variants(word, depth: budget) {
            for index in deletes[variant] ?? [] where seen.insert(index).inserted {
                let candidateChars = characters[Int(index)]
                guard abs(candidateChars.count - chars.count) <= budget else { continue }
                let distance = Self.distance(chars, candidateChars, limit: budget)
                guard distance <= budget else { continue }
                let candidate = words[Int(index)]
                // Nearest first, then the more frequent word, then the alphabetically first: the
                // variants come out of a hashed set in an order that changes per process, so
                // every tie must be broken by the words themselves.
                if let current = best,
                    (current.distance, -current.frequency, current.word) <= (distance, -frequency[Int(index)], candidate)
                {
                    continue
                }
                best = (candidate, distance, frequency[Int(index)])
            }
        }
        return best?.word
    }

    /// The word itself and every string made by deleting up to `depth` characters.
    static func variants(_ word: String, depth: Int) -> Set<String> {
        let bytes = Array(word.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return [word] }
        var result: Set<String> = [word]
        var frontier: [[UInt8]] = [bytes]
        for _ in 0..<depth {
            var next: [[UInt8]] = []
            for item in frontier where item.count > 2 {
                for i in item.indices {
                    var copy = item
                    copy.remove(at: i)
                    if result.insert(String(decoding: copy, as: UTF8.self)).inserted { next.append(copy) }
                }
            }
            frontier = next
        }
        return result
    }

    /// Optimal-string-alignment distance (Damerau–Levenshtein with adjacent swaps).
    static func distance(_ a: [Character], _ b: [Character], limit: Int) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMin = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { value = min(value, previous2[j - 2] + 1) }
                current[j] = value
                rowMin = min(rowMin, value)
            }
            if rowMin > limit { return limit + 1 }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
