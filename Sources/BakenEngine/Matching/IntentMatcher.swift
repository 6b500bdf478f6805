import Foundation

/// Intents compiled for fast scoring: an inverted index from features to keyword weights and
/// to example vectors.
struct IntentMatcher: Sendable {
    struct Compiled: Sendable {
        var id: String
        var keywords: [(feature: Int, weight: Double, label: String)]
        var phrases: [(elements: [PhraseElement], weight: Double, label: String)]
        var requires: [[Int]]
        var excludes: [Int]
        var followups: [String]
        /// Every feature the intent knows: keywords, requirements, phrase concepts, example words.
        var vocabulary = FeatureSet()
    }

    /// One word of a phrase: a stem or a concept, each by its feature id.
    enum PhraseElement: Sendable, Hashable {
        case stem(Int)
        case concept(Int)

        var feature: Int {
            switch self {
            case .stem(let id), .concept(let id): id
            }
        }
    }

    private(set) var intents: [Compiled] = []
    // The indexes below are arrays by feature id (ids are small and dense): a look-up is an
    // array access, not a hash. An id beyond the end has no entry.
    /// Phrases by the feature id of their first element: (intent, phrase index).
    private var phraseIndex: [[(intent: Int, phrase: Int)]] = []
    /// Keywords by feature id: (intent, keyword index).
    private var keywordIndex: [[(intent: Int, keyword: Int)]] = []
    /// The examples, one entry each in these three arrays: the scoring loop reads only the norms
    /// and owning intents, the text is for explaining.
    private var exampleTexts: [String] = []
    private var exampleNorms: [Double] = []
    private var exampleIntents: [Int32] = []
    /// Feature → the examples that have it. An example's weight for a feature is the
    /// feature's idf, the same for every example, so a posting is only the example's index.
    private var examplePostings: [[Int32]] = []
    /// Feature → inverse document frequency over intents; 0 for a feature no example has.
    private var idf: [Double] = []

    /// Compiles `intents` (a knowledge base's topics, or the questions of one topic).
    init(intents source: [Intent], analyzer: inout Analyzer) {
        for intent in source {
            var compiled = Compiled(id: intent.id, keywords: [], phrases: [], requires: [], excludes: [], followups: intent.followups)
            for (key, weight) in intent.keywords.sorted(by: { $0.key < $1.key }) {
                if !key.hasPrefix("@"), key.contains(" ") {
                    compiled.phrases.append((Self.elements(key, &analyzer), weight, "\"\(key)\""))
                } else {
                    compiled.keywords.append((analyzer.feature(forReference: key), weight, key))
                }
            }
            for (phrase, weight) in intent.phrases.sorted(by: { $0.key < $1.key }) {
                compiled.phrases.append((Self.elements(phrase, &analyzer), weight, "\"\(phrase)\""))
            }
            compiled.requires = intent.requires.map { $0.map { analyzer.feature(forReference: $0) } }
            compiled.excludes = intent.excludes.map { analyzer.feature(forReference: $0) }
            compiled.vocabulary = FeatureSet(compiled.keywords.map(\.feature) + compiled.requires.flatMap { $0 })
            for phrase in compiled.phrases {
                for element in phrase.elements {
                    switch element {
                    case .concept(let id), .stem(let id): compiled.vocabulary.insert(id)
                    }
                }
            }
            intents.append(compiled)
        }
        for (index, compiled) in intents.enumerated() {
            for (k, keyword) in compiled.keywords.enumerated() { Self.append((index, k), at: keyword.feature, to: &keywordIndex) }
            for (p, phrase) in compiled.phrases.enumerated() where !phrase.elements.isEmpty {
                Self.append((index, p), at: phrase.elements[0].feature, to: &phraseIndex)
            }
        }
        // Example vectors: features of each example, weighted by idf over intents.
        var exampleFeatures: [(Int, FeatureSet, String)] = []
        var documentFrequency: [Int: Set<Int>] = [:]
        for (index, intent) in source.enumerated() {
            for text in intent.examples {
                let features = Self.features(of: analyzer.analyze(text), analyzer: &analyzer)
                exampleFeatures.append((index, features, text))
                intents[index].vocabulary.formUnion(features)
                for feature in features { documentFrequency[feature, default: []].insert(index) }
            }
        }
        let count = Double(max(intents.count, 1))
        idf = [Double](repeating: 0, count: (documentFrequency.keys.max() ?? -1) + 1)
        for (feature, set) in documentFrequency { idf[feature] = log(1 + count / Double(set.count)) }
        for (intent, features, text) in exampleFeatures {
            let norm = sqrt(features.reduce(0) { $0 + pow(idf[$1], 2) })
            guard norm > 0 else { continue }
            let index = Int32(exampleTexts.count)
            exampleTexts.append(text)
            exampleNorms.append(norm)
            exampleIntents.append(Int32(intent))
            for feature in features { Self.append(index, at: feature, to: &examplePostings) }
        }
    }

    private static func append<T>(_ entry: T, at feature: Int, to index: inout [[T]]) {
        if feature >= index.count { index.append(contentsOf: repeatElement([], count: feature + 1 - index.count)) }
        index[feature].append(entry)
    }

    private static func elements(_ phrase: String, _ analyzer: inout Analyzer) -> [PhraseElement] {
        phrase.split(separator: " ").map { part in
            if part.hasPrefix("@") { return .concept(analyzer.intern(concept: part.dropFirst())) }
            return .stem(analyzer.intern(stem: DutchStemmer.stem(Normalizer.fold(part))))
        }
    }

    /// The analysis features, interning stems of the examples so they count.
    private static func features(of analysis: Analysis, analyzer: inout Analyzer) -> FeatureSet {
        var result = FeatureSet()
        for token in analysis.tokens where token.recognition != .stopword && token.recognition != .special {
            for stem in token.stems { result.insert(analyzer.intern(stem: stem)) }
        }
        return result.union(analysis.features)
    }

    /// Scores every intent that shares a feature with the message.
    func score(_ analysis: Analysis, context: MatchContext?, policy: DecisionPolicy) -> [Decision.Candidate] {
        var rule = [Double](repeating: 0, count: intents.count)
        var matchedLabels: [(intent: Int, label: String)] = []
        var touched = [Bool](repeating: false, count: intents.count)
        for feature in analysis.features where feature < keywordIndex.count {
            for (intent, k) in keywordIndex[feature] {
                rule[intent] += intents[intent].keywords[k].weight
                matchedLabels.append((intent, intents[intent].keywords[k].label))
                touched[intent] = true
            }
        }
        var phrasesFound = Set<Int>()  // intent << 16 | phrase
        for start in analysis.sequence.indices {
            let item = analysis.sequence[start]
            // The phrases that start with this word's stem or with one of its concepts.
            for k in -1..<item.concepts.count {
                let first = k < 0 ? item.stemID : item.concepts[k]
                guard first >= 0, first < phraseIndex.count else { continue }
                for (intent, p) in phraseIndex[first] where !phrasesFound.contains(intent << 16 | p) {
                    let phrase = intents[intent].phrases[p]
                    guard Self.matches(analysis.sequence, at: start, phrase.elements) else { continue }
                    phrasesFound.insert(intent << 16 | p)
                    rule[intent] += phrase.weight
                    matchedLabels.append((intent, phrase.label))
                    touched[intent] = true
                }
            }
        }
        // Example similarity: cosine between the message and each example.
        // Only the examples that share a feature with the message are visited (not all of them).
        // This loop is most of the matcher's time (a common concept is in hundreds of examples):
        // it runs over raw buffers. The postings are counted first, so the list of visited
        // examples needs no bounds checks.
        var postingCount = 0
        for feature in analysis.features where feature < idf.count && idf[feature] > 0 { postingCount += examplePostings[feature].count }
        var bestExample = [(similarity: Double, example: Int)](repeating: (0, -1), count: intents.count)
        if postingCount > 0 {
            let dot = UnsafeMutableBufferPointer<Double>.allocate(capacity: exampleTexts.count)
            dot.initialize(repeating: 0)
            // Examples in the order they were first reached (the first of equal similarities wins).
            let visited = UnsafeMutableBufferPointer<Int32>.allocate(capacity: postingCount)
            defer {
                dot.deallocate()
                visited.deallocate()
            }
            var visitedCount = 0
            var messageNorm = 0.0
            for feature in analysis.features where feature < idf.count {
                let weight = idf[feature]
                guard weight > 0 else { continue }
                let square = weight * weight
                messageNorm += square
                examplePostings[feature].withUnsafeBufferPointer { postings in
                    for example in postings {
                        let index = Int(example)
                        let before = dot[index]
                        dot[index] = before + square
                        // Branch-free: the slot is kept only when the example was not reached before.
                        visited[visitedCount] = example
                        visitedCount &+= before == 0 ? 1 : 0
                    }
                }
            }
            messageNorm = sqrt(messageNorm)
            exampleNorms.withUnsafeBufferPointer { norms in
                exampleIntents.withUnsafeBufferPointer { owners in
                    for slot in 0..<visitedCount {
                        let index = Int(visited[slot])
                        let similarity = dot[index] / (messageNorm * norms[index])
                        let intent = Int(owners[index])
                        if similarity > bestExample[intent].similarity { bestExample[intent] = (similarity, index) }
                        touched[intent] = true
                    }
                }
            }
        }
        var labels = [[String]](repeating: [], count: intents.count)
        for (intent, label) in matchedLabels { labels[intent].append(label) }
        let prior = context?.previousIntent.flatMap { previous in intents.first { $0.id == previous } }
        var candidates: [Decision.Candidate] = []
        for index in intents.indices where touched[index] {
            if intents[index].excludes.contains(where: analysis.features.contains) { continue }
            if context?.rejected.contains(intents[index].id) == true { continue }
            if !intents[index].requires.allSatisfy({ $0.contains(where: analysis.features.contains) }) { continue }
            var contextScore = 0.0
            if let context, analysis.features.count <= 3 {
                if context.offered.contains(intents[index].id) { contextScore += 1 }
                if let prior, prior.followups.contains(intents[index].id) {
                    contextScore += 0.5
                }
            }
            let similarity = bestExample[index].similarity
            // How much of the message this intent explains: a greeting inside a long DigiD
            // question, or "texel" inside a question about the weather, explains little.
            let vocabulary = intents[index].vocabulary
            var covered = 0
            for words in analysis.contentFeatures where words.contains(where: vocabulary.contains) { covered += 1 }
            let coverage = analysis.contentFeatures.isEmpty ? 1 : Double(covered) / Double(analysis.contentFeatures.count)
            let why = labels[index]
            let closest = bestExample[index].example >= 0 ? exampleTexts[bestExample[index].example] : nil
            candidates.append(
                .init(
                    intent: intents[index].id,
                    score: (rule[index] + policy.exampleWeight * similarity + contextScore) * (1 - policy.coverageWeight * (1 - coverage)),
                    ruleScore: rule[index], coverage: coverage,
                    exampleSimilarity: similarity, contextScore: contextScore, reasons: why, closestExample: closest))
        }
        candidates.sort { ($0.score, $1.intent) > ($1.score, $0.intent) }
        return candidates
    }

    private static func matches(_ sequence: [Analysis.Position], at start: Int, _ elements: [PhraseElement]) -> Bool {
        guard start + elements.count <= sequence.count else { return false }
        for (offset, element) in elements.enumerated() {
            let item = sequence[start + offset]
            switch element {
            case .stem(let stem): if item.stemID != stem { return false }
            case .concept(let concept): if !item.concepts.contains(concept) { return false }
            }
        }
        return true
    }

    func followups(of intent: String) -> [String] { intents.first { $0.id == intent }?.followups ?? [] }
}
