/// Normalises and enriches messages against the vocabulary of `intents/`: stems, spelling
/// and sound-alike correction, compound splitting, merged words, and concepts.
struct Analyzer: Sendable {
    /// Interned feature names: `s:stem` for stems, `c:name` for concepts.
    private(set) var featureIDs: [String: Int] = [:]
    private(set) var featureNames: [String] = []
    /// Folded vocabulary word → its stem.
    private var knownWords: [String: String] = [:]
    /// Known stems (of vocabulary words).
    private var knownStems: Set<String> = []
    /// Stem → concept feature ids.
    private var stemConcepts: [String: [Int]] = [:]
    /// Multi-word concept members: stem sequence → concept feature id.
    private var conceptPhrases: [(stems: [String], concept: Int)] = []
    /// Phonetic key → vocabulary word.
    private var phonetic: [String: String] = [:]
    private var corrector: SpellingCorrector
    /// Stopwords that are not also signal words of some concept or keyword.
    private var stopwords: Set<String>

    init(base: KnowledgeBase) {
        var counts: [String: Int] = [:]
        var signalWords: Set<String> = []
        func addText(_ text: String, signal: Bool) {
            for token in Normalizer.tokens(text) where token.kind == .word {
                counts[token.folded, default: 0] += 1
                if signal { signalWords.insert(token.folded) }
            }
        }
        for members in base.concepts.values { members.forEach { addText($0, signal: true) } }
        for intent in base.intents {
            for key in intent.keywords.keys where !key.hasPrefix("@") { addText(key, signal: true) }
            for phrase in intent.phrases.keys { addText(phrase.replacingOccurrences(of: "@", with: " "), signal: false) }
            for requirement in intent.requires.flatMap({ $0 }) + intent.excludes where !requirement.hasPrefix("@") {
                addText(requirement, signal: true)
            }
            intent.examples.forEach { addText($0, signal: false) }
        }
        let stopwords = Stopwords.dutch.union(Stopwords.english).subtracting(signalWords)
        self.stopwords = stopwords
        corrector = SpellingCorrector(vocabulary: counts.filter { !stopwords.contains($0.key) })
        for word in counts.keys {
            let stem = DutchStemmer.stem(word)
            knownWords[word] = stem
            knownStems.insert(stem)
            if !stopwords.contains(word) {
                let key = Phonetic.key(word)
                if let existing = phonetic[key], counts[existing, default: 0] >= counts[word, default: 0] { continue }
                phonetic[key] = word
            }
        }
        for (name, members) in base.concepts.sorted(by: { $0.key < $1.key }) {
            let concept = intern("c:" + name)
            for member in members {
                let stems = Normalizer.tokens(member).map { DutchStemmer.stem($0.folded) }
                if stems.count == 1 {
                    stemConcepts[stems[0], default: []].append(concept)
                } else if stems.count > 1 {
                    conceptPhrases.append((stems, concept))
                    // "digi d" also matches when written as one word.
                    let joined = DutchStemmer.stem(stems.joined())
                    stemConcepts[joined, default: []].append(concept)
                    knownWords[stems.joined()] = joined
                    knownStems.insert(joined)
                }
            }
        }
    }

    /// The feature id of `name`, creating it.
    mutating func intern(_ name: String) -> Int {
        if let id = featureIDs[name] { return id }
        featureIDs[name] = featureNames.count
        featureNames.append(name)
        return featureNames.count - 1
    }

    /// The feature id of a stem or concept reference as written in an intent (`@name` or a word).
    mutating func feature(forReference reference: String) -> Int {
        if reference.hasPrefix("@") { return intern("c:" + reference.dropFirst()) }
        return intern("s:" + DutchStemmer.stem(Normalizer.fold(reference)))
    }

    /// Looks up a feature id without creating it.
    func existingFeature(_ name: String) -> Int? { featureIDs[name] }

    /// Analyses a message.
    func analyze(_ text: String) -> Analysis {
        let tokens = Normalizer.tokens(text)
        var analyzed: [AnalyzedToken] = []
        analyzed.reserveCapacity(tokens.count)
        var englishVotes = 0
        var dutchVotes = 0
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            guard token.kind == .word else {
                analyzed.append(AnalyzedToken(original: token.original, readAs: [token.folded], recognition: .special, stems: [], concepts: []))
                index += 1
                continue
            }
            let word = token.folded
            if Stopwords.englishOnly.contains(word) { englishVotes += 1 } else if Stopwords.dutchOnly.contains(word) { dutchVotes += 1 }
            // Two written words that form one known word: "digi d", "wacht woord".
            if index + 1 < tokens.count, tokens[index + 1].kind == .word {
                let joined = word + tokens[index + 1].folded
                if !stopwords.contains(word) || !stopwords.contains(tokens[index + 1].folded), let stem = knownWords[joined],
                    knownWords[word] == nil || knownWords[tokens[index + 1].folded] == nil || joined.count <= 6
                {
                    analyzed.append(make(token.original + " " + tokens[index + 1].original, [joined], .merged, [stem]))
                    index += 2
                    continue
                }
            }
            analyzed.append(recognise(token.original, word))
            index += 1
        }
        var sequence: [(stem: String, concepts: [Int])] = []
        for token in analyzed {
            for stem in token.stems { sequence.append((stem, token.concepts.compactMap { featureIDs["c:" + $0.dropFirst()] })) }
            if token.stems.isEmpty, token.recognition == .stopword || token.recognition == .special {
                sequence.append((token.readAs.first ?? "", []))
            }
        }
        // Multi-word concept members ("hoi mam", "diggie dee").
        for (stems, concept) in conceptPhrases where stems.count <= sequence.count {
            for start in 0...(sequence.count - stems.count) where (0..<stems.count).allSatisfy({ sequence[start + $0].stem == stems[$0] }) {
                sequence[start].concepts.append(concept)
            }
        }
        var features = Set<Int>()
        var recognised = 0
        var unknown = 0
        for item in sequence {
            if let id = featureIDs["s:" + item.stem], !stopwords.contains(item.stem) { features.insert(id) }
            features.formUnion(item.concepts)
        }
        for token in analyzed {
            switch token.recognition {
            case .unknown: unknown += 1
            case .stopword, .special: break
            default: recognised += 1
            }
        }
        // Concept names for display, after phrase concepts were added.
        var position = 0
        for i in analyzed.indices {
            let count = max(analyzed[i].stems.count, (analyzed[i].recognition == .stopword || analyzed[i].recognition == .special) ? 1 : 0)
            var names = Set(analyzed[i].concepts)
            for offset in 0..<count where position + offset < sequence.count {
                for concept in sequence[position + offset].concepts { names.insert("@" + featureNames[concept].dropFirst(2)) }
            }
            analyzed[i].concepts = names.sorted()
            position += count
        }
        return Analysis(
            tokens: analyzed, sequence: sequence, features: features, language: englishVotes > dutchVotes ? .en : .nl,
            recognisedWords: recognised, unknownWords: unknown)
    }

    private func recognise(_ original: String, _ word: String) -> AnalyzedToken {
        if stopwords.contains(word) {
            return AnalyzedToken(original: original, readAs: [word], recognition: .stopword, stems: [], concepts: [])
        }
        if let stem = knownWords[word] { return make(original, [word], .known, [stem]) }
        let stem = DutchStemmer.stem(word)
        if knownStems.contains(stem) { return make(original, [word], .stem, [stem]) }
        if let match = phonetic[Phonetic.key(word)] { return make(original, [match], .phonetic, [knownWords[match]!]) }
        if let match = corrector.correct(word) { return make(original, [match], .spelling, [knownWords[match]!]) }
        if let parts = split(word) { return make(original, parts, .compound, parts.map { knownWords[$0]! }) }
        return AnalyzedToken(original: original, readAs: [word], recognition: .unknown, stems: [stem], concepts: [])
    }

    private func make(_ original: String, _ readAs: [String], _ how: AnalyzedToken.Recognition, _ stems: [String]) -> AnalyzedToken {
        var concepts: [String] = []
        for stem in stems {
            for id in stemConcepts[stem] ?? [] { concepts.append("@" + featureNames[id].dropFirst(2)) }
        }
        return AnalyzedToken(original: original, readAs: readAs, recognition: how, stems: stems, concepts: concepts)
    }

    /// Splits an unknown compound into two known words, allowing a linking s or e(n):
    /// `belastingaangifte` → `belasting` + `aangifte`.
    private func split(_ word: String) -> [String]? {
        let chars = Array(word)
        guard chars.count >= 7 else { return nil }
        for cut in stride(from: chars.count - 3, through: 3, by: -1) {
            let head = String(chars[..<cut])
            let tail = String(chars[cut...])
            guard knownWords[tail] != nil, !stopwords.contains(tail) else { continue }
            for candidate in [head, head.hasSuffix("s") ? String(head.dropLast()) : nil, head.hasSuffix("en") ? String(head.dropLast(2)) : nil]
            {
                if let candidate, candidate.count >= 3, knownWords[candidate] != nil, !stopwords.contains(candidate) {
                    return [candidate, tail]
                }
            }
        }
        return nil
    }
}
