/// Normalises and enriches messages against the vocabulary of `intents/`: stems, spelling
/// and sound-alike correction, compound splitting, merged words, and concepts.
struct Analyzer: Sendable {
    /// Stem → feature id.
    private(set) var stemIDs: [String: Int] = [:]
    /// Concept name (without `@`) → feature id.
    private(set) var conceptIDs: [String: Int] = [:]
    /// Feature id → display name: the stem, or `@concept`.
    private(set) var featureNames: [String] = []
    /// Folded vocabulary word → its stem.
    private var knownWords: [String: String] = [:]
    /// Known stems (of vocabulary words).
    private var knownStems: Set<String> = []
    /// Stem → concept feature ids.
    private var stemConcepts: [String: [Int]] = [:]
    /// Folded member word → concept feature ids. Words of four letters or fewer match only
    /// exactly: their stems collide too easily (`waar` and `war` both stem to `war`).
    private var wordConcepts: [String: [Int]] = [:]
    /// Multi-word concept members by their first stem: rest of the stems → concept feature id.
    private var conceptPhrases: [String: [(stems: [String], concept: Int)]] = [:]
    /// Phonetic key → vocabulary word.
    private var phonetic: [String: String] = [:]
    private var corrector: SpellingCorrector
    /// Real words never corrected toward the vocabulary (``KnowledgeBase/commonWords``).
    private let commonWords: Set<String>
    /// Stopwords that are not also signal words of some concept or keyword.
    private var stopwords: Set<String>
    /// Words of concepts, keywords and requirements: the spellings curators chose. Corrections
    /// aim at these first, so a typo copied into an example does not hide the right word.
    private var signalWords: Set<String> = []
    private var signalStems: Set<String> = []
    /// The longest word in the vocabulary, in UTF-8 bytes.
    private var longestKnownWord = 0
    /// Every vocabulary word and stopword as ``recognise(_:_:)`` reads it, worked out once when
    /// the knowledge is compiled: most words of a message are found here with one look-up.
    private var lexicon: [String: Reading] = [:]
    /// Set by ``freeze()``: no feature is added any more, so readings carry their positions.
    private var frozen = false
    /// Remark or request (`intents/remarks.yaml`).
    private let remarks: RemarkReader

    /// A word of the lexicon, read in advance.
    private struct Reading: Sendable {
        var token: AnalyzedToken
        /// +1 for a word only English uses, -1 for one only Dutch uses: the language vote.
        var vote: Int
        /// Whether the word itself is in the vocabulary.
        var isKnownWord: Bool
        /// Whether a longer vocabulary word begins with it: only then can it merge with the next word.
        var beginsKnownWord: Bool
        /// Whether a remark or opinion marker begins with the word (``RemarkReader/triggers``).
        var triggersRemark = false
        /// What the word adds to the stem sequence; set by ``freeze()``.
        var positions: [Analysis.Position]?
    }

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
        for intent in base.intents + base.intents.flatMap({ $0.questions.map(\.asIntent) }) {
            for key in intent.keywords.keys where !key.hasPrefix("@") { addText(key, signal: true) }
            for phrase in intent.phrases.keys { addText(phrase.replacingOccurrences(of: "@", with: " "), signal: false) }
            for requirement in intent.requires.flatMap({ $0 }) + intent.excludes where !requirement.hasPrefix("@") {
                addText(requirement, signal: true)
            }
            intent.examples.forEach { addText($0, signal: false) }
        }
        commonWords = base.commonWords
        remarks = RemarkReader(rule: base.remarks)
        let stopwords = Stopwords.dutch.union(Stopwords.english).subtracting(signalWords)
        self.stopwords = stopwords
        self.signalWords = signalWords
        self.signalStems = Set(signalWords.map(DutchStemmer.stem))
        corrector = SpellingCorrector(vocabulary: counts.filter { !stopwords.contains($0.key) && signalWords.contains($0.key) })
        longestKnownWord = counts.keys.map(\.utf8.count).max() ?? 0
        for word in counts.keys {
            let stem = DutchStemmer.stem(word)
            knownWords[word] = stem
            knownStems.insert(stem)
            if !stopwords.contains(word), signalWords.contains(word) {
                let key = Phonetic.key(word)
                // The more frequent word wins a shared key; on a tie the alphabetically first (the
                // dictionary's order changes per process).
                if let existing = phonetic[key], (-counts[existing, default: 0], existing) <= (-counts[word, default: 0], word) { continue }
                phonetic[key] = word
            }
        }
        for (name, members) in base.concepts.sorted(by: { $0.key < $1.key }) {
            let concept = intern(concept: name)
            for member in members {
                let words = Normalizer.tokens(member).map(\.folded)
                let stems = words.map { DutchStemmer.stem($0) }
                if stems.count == 1 {
                    wordConcepts[words[0], default: []].append(concept)
                    if words[0].count > 4 { stemConcepts[stems[0], default: []].append(concept) }
                } else if stems.count > 1 {
                    conceptPhrases[stems[0], default: []].append((stems, concept))
                    // "digi d" also matches when written as one word.
                    let joined = DutchStemmer.stem(stems.joined())
                    stemConcepts[joined, default: []].append(concept)
                    wordConcepts[words.joined(), default: []].append(concept)
                    wordConcepts[stems.joined(), default: []].append(concept)
                    knownWords[stems.joined()] = joined
                    knownStems.insert(joined)
                }
            }
        }
        var beginnings = Set<String>()
        for word in knownWords.keys {
            var prefix = ""
            for character in word.dropLast() {
                prefix.append(character)
                beginnings.insert(prefix)
            }
        }
        for word in Set(knownWords.keys).union(stopwords) {
            lexicon[word] = Reading(
                token: recognise(word, word), vote: Self.vote(word), isKnownWord: knownWords[word] != nil,
                beginsKnownWord: beginnings.contains(word), triggersRemark: remarks.triggers.contains(word))
        }
    }

    /// Called once every intent is compiled: the stem ids are final, so each reading gets the
    /// positions it adds to a message's stem sequence.
    mutating func freeze() {
        for word in lexicon.keys { lexicon[word]!.positions = positions(of: lexicon[word]!.token) }
        frozen = true
    }

    private static func vote(_ word: String) -> Int {
        Stopwords.englishOnly.contains(word) ? 1 : (Stopwords.dutchOnly.contains(word) ? -1 : 0)
    }

    /// The stem sequence positions of one analysed word: a position per stem with its concepts,
    /// or one for a stopword or special token.
    private func positions(of token: AnalyzedToken) -> [Analysis.Position] {
        var result: [Analysis.Position] = []
        for (i, stem) in token.stems.enumerated() {
            result.append(position(stem, concepts: i < token.conceptIDs.count ? token.conceptIDs[i] : []))
        }
        if token.stems.isEmpty, token.recognition == .stopword || token.recognition == .special {
            let word = token.readAs.first ?? ""
            result.append(position(token.recognition == .stopword ? DutchStemmer.stem(word) : word, concepts: []))
        }
        return result
    }

    private func position(_ stem: String, concepts: [Int]) -> Analysis.Position {
        let id = stemIDs[stem] ?? -1
        return .init(stem: stem, stemID: id, concepts: concepts, isFeature: id >= 0 && !stopwords.contains(stem), beginsPhrase: conceptPhrases[stem] != nil)
    }

    /// The feature id of a stem, creating it.
    mutating func intern(stem: String) -> Int {
        if let id = stemIDs[stem] { return id }
        precondition(!frozen, "a feature added after freeze() would be missing from the readings")
        stemIDs[stem] = featureNames.count
        featureNames.append(stem)
        return featureNames.count - 1
    }

    /// The feature id of a concept (name without `@`), creating it.
    mutating func intern<S: StringProtocol>(concept: S) -> Int {
        let name = String(concept)
        if let id = conceptIDs[name] { return id }
        conceptIDs[name] = featureNames.count
        featureNames.append("@" + name)
        return featureNames.count - 1
    }

    /// The feature id of a reference as written in an intent: `@name` or a word.
    mutating func feature(forReference reference: String) -> Int {
        if reference.hasPrefix("@") { return intern(concept: reference.dropFirst()) }
        return intern(stem: DutchStemmer.stem(Normalizer.fold(reference)))
    }

    /// Analyses a message.
    func analyze(_ text: String) -> Analysis {
        let tokens = Normalizer.tokens(text)
        var analyzed: [AnalyzedToken] = []
        analyzed.reserveCapacity(tokens.count)
        var sequence: [Analysis.Position] = []
        sequence.reserveCapacity(tokens.count)
        var englishVotes = 0
        var dutchVotes = 0
        // Whether a word may begin a remark: only then are the remark markers read.
        var mayBeRemark = false
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            guard token.kind == .word else {
                let special = AnalyzedToken(original: token.original, readAs: [token.folded], recognition: .special, stems: [], concepts: [])
                analyzed.append(special)
                sequence += positions(of: special)
                index += 1
                continue
            }
            let word = token.folded
            let reading = lexicon[word]
            if !mayBeRemark, reading?.triggersRemark ?? remarks.triggers.contains(word) { mayBeRemark = true }
            let vote = reading?.vote ?? Self.vote(word)
            if vote > 0 { englishVotes += 1 } else if vote < 0 { dutchVotes += 1 }
            // Two written words that form one known word: "digi d", "wacht woord".
            if index + 1 < tokens.count, tokens[index + 1].kind == .word, reading?.beginsKnownWord ?? true {
                let next = tokens[index + 1].folded
                let nextReading = lexicon[next]
                let joined = word + next
                // A reading already knows what the sets would say; other words ask the sets.
                func isStopword(_ word: String, _ reading: Reading?) -> Bool { reading.map { $0.token.recognition == .stopword } ?? stopwords.contains(word) }
                func isKnown(_ word: String, _ reading: Reading?) -> Bool { reading?.isKnownWord ?? (knownWords[word] != nil) }
                if !isStopword(word, reading) || !isStopword(next, nextReading), let stem = knownWords[joined],
                    !isKnown(word, reading) || !isKnown(next, nextReading) || joined.count <= 6
                {
                    if !mayBeRemark, nextReading?.triggersRemark ?? remarks.triggers.contains(next) { mayBeRemark = true }
                    let merged = make(token.original + " " + tokens[index + 1].original, [joined], .merged, [stem])
                    analyzed.append(merged)
                    sequence += positions(of: merged)
                    index += 2
                    continue
                }
            }
            if var read = reading {
                read.token.original = token.original
                analyzed.append(read.token)
                sequence += read.positions ?? positions(of: read.token)
            } else {
                let read = recognise(token.original, word)
                analyzed.append(read)
                sequence += positions(of: read)
            }
            index += 1
        }
        // Multi-word concept members ("hoi mam", "diggie dee").
        var phraseConceptAt: [Int] = []
        if !conceptPhrases.isEmpty {
            for start in sequence.indices where sequence[start].beginsPhrase {
                for (stems, concept) in conceptPhrases[sequence[start].stem] ?? []
                where start + stems.count <= sequence.count && (1..<stems.count).allSatisfy({ sequence[start + $0].stem == stems[$0] }) {
                    sequence[start].concepts.append(concept)
                    phraseConceptAt.append(start)
                }
            }
        }
        var features = FeatureSet()
        var recognised = 0
        var unknown = 0
        for item in sequence {
            if item.isFeature { features.insert(item.stemID) }
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
            // The word's own concepts are already sorted and unique (``make``); only a phrase
            // concept on one of its positions adds names.
            guard phraseConceptAt.contains(where: { $0 >= position && $0 < position + count }) else {
                position += count
                continue
            }
            var names = Set(analyzed[i].concepts)
            for offset in 0..<count where position + offset < sequence.count {
                for concept in sequence[position + offset].concepts { names.insert(featureNames[concept]) }
            }
            analyzed[i].concepts = names.sorted()
            position += count
        }
        var contentFeatures: [[Int]] = []
        position = 0
        for token in analyzed {
            let count = max(token.stems.count, (token.recognition == .stopword || token.recognition == .special) ? 1 : 0)
            if token.recognition != .stopword && token.recognition != .special {
                var ids: [Int] = []
                for offset in 0..<count where position + offset < sequence.count {
                    if sequence[position + offset].stemID >= 0 { ids.append(sequence[position + offset].stemID) }
                    ids += sequence[position + offset].concepts
                }
                contentFeatures.append(ids)
            }
            position += count
        }
        var analysis = Analysis(
            tokens: analyzed, sequence: sequence, features: features, contentFeatures: contentFeatures, language: englishVotes > dutchVotes ? .en : .nl,
            recognisedWords: recognised, unknownWords: unknown)
        if mayBeRemark {
            analysis.remark = remarks.read(
                words: tokens.compactMap { $0.kind == .word ? $0.folded : nil },
                hasQuestionMark: text.contains { $0 == "?" || $0 == "\u{FF1F}" })
        }
        return analysis
    }

    private func recognise(_ original: String, _ word: String) -> AnalyzedToken {
        // A word far longer than any word Baken knows (a pasted code, a key held down) cannot be
        // corrected or split into known words; skip the expensive steps so one message costs
        // bounded time and memory whatever it holds.
        if word.utf8.count > longestKnownWord * 2 + 4 {
            return AnalyzedToken(original: original, readAs: [word], recognition: .unknown, stems: [], concepts: [])
        }
        if stopwords.contains(word) {
            return AnalyzedToken(original: original, readAs: [word], recognition: .stopword, stems: [], concepts: [])
        }
        if signalWords.contains(word), let stem = knownWords[word] { return make(original, [word], .known, [stem]) }
        let stem = DutchStemmer.stem(word)
        if signalStems.contains(stem) { return make(original, [word], .stem, [stem]) }
        if let match = englishBase(word) { return make(original, [match], .stem, [knownWords[match]!]) }
        if let match = phonetic[Phonetic.key(word)] { return make(original, [match], .phonetic, [knownWords[match]!]) }
        // A real word the vocabulary lacks ("erachter", "traag") keeps its meaning: it is not
        // read as the nearest vocabulary word ("rechter", "vraag"). One that sounds the same
        // ("ideaal" for "ideal") was read as a sound-alike above.
        if !commonWords.contains(word), let match = corrector.correct(word) { return make(original, [match], .spelling, [knownWords[match]!]) }
        // Words known only from examples come after corrections toward the curated words.
        if let known = knownWords[word] { return make(original, [word], .known, [known]) }
        if knownStems.contains(stem) { return make(original, [word], .stem, [stem]) }
        if let parts = split(word) { return make(original, parts, .compound, parts.map { knownWords[$0]! }) }
        return AnalyzedToken(original: original, readAs: [word], recognition: .unknown, stems: [stem], concepts: [])
    }

    private func make(_ original: String, _ readAs: [String], _ how: AnalyzedToken.Recognition, _ stems: [String]) -> AnalyzedToken {
        var concepts: [String] = []
        var ids: [[Int]] = []
        for (i, stem) in stems.enumerated() {
            let word = i < readAs.count ? readAs[i] : stem
            var found = wordConcepts[word] ?? []
            if word.count > 4 { found += (stemConcepts[stem] ?? []).filter { !found.contains($0) } }
            ids.append(found)
            for id in found { concepts.append(featureNames[id]) }
        }
        return AnalyzedToken(
            original: original, readAs: readAs, recognition: how, stems: stems, concepts: Array(Set(concepts)).sorted(), conceptIDs: ids)
    }

    /// English inflections the Dutch stemmer leaves: `scammed` → `scam`, `lessons` → `lesson`.
    private func englishBase(_ word: String) -> String? {
        for suffix in ["ing", "ed", "es", "s", "ies"] where word.count > suffix.count + 2 && word.hasSuffix(suffix) {
            var base = String(word.dropLast(suffix.count))
            if suffix == "ies" { base += "y" }
            if knownWords[base] != nil { return base }
            if let last = base.last, base.count > 3, base.dropLast().last == last, knownWords[String(base.dropLast())] != nil {
                return String(base.dropLast())  // scammed → scamm → scam
            }
            if knownWords[base + "e"] != nil { return base + "e" }
        }
        return nil
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
