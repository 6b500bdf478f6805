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
        var vocabulary: Set<Int> = []
    }

    enum PhraseElement: Sendable, Hashable {
        case stem(String)
        case concept(Int)
    }

    struct Example: Sendable {
        var intent: Int
        var text: String
        var norm: Double
    }

    private(set) var intents: [Compiled] = []
    /// Phrases by their first element: (intent, phrase index).
    private var phraseIndex: [PhraseElement: [(intent: Int, phrase: Int)]] = [:]
    private var keywordIndex: [Int: [(intent: Int, keyword: Int)]] = [:]
    private var examples: [Example] = []
    /// Feature → (example index, weight) postings.
    private var examplePostings: [Int: [(example: Int32, weight: Double)]] = [:]
    /// Feature → inverse document frequency over intents.
    private var idf: [Int: Double] = [:]

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
            compiled.vocabulary = Set(compiled.keywords.map(\.feature) + compiled.requires.flatMap { $0 })
            for phrase in compiled.phrases {
                for element in phrase.elements {
                    switch element {
                    case .concept(let id): compiled.vocabulary.insert(id)
                    case .stem(let stem): compiled.vocabulary.insert(analyzer.intern(stem: stem))
                    }
                }
            }
            intents.append(compiled)
        }
        for (index, compiled) in intents.enumerated() {
            for (k, keyword) in compiled.keywords.enumerated() { keywordIndex[keyword.feature, default: []].append((index, k)) }
            for (p, phrase) in compiled.phrases.enumerated() where !phrase.elements.isEmpty {
                phraseIndex[phrase.elements[0], default: []].append((index, p))
            }
        }
        // Example vectors: features of each example, weighted by idf over intents.
        var exampleFeatures: [(Int, Set<Int>, String)] = []
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
        for (feature, set) in documentFrequency { idf[feature] = log(1 + count / Double(set.count)) }
        for (intent, features, text) in exampleFeatures {
            let norm = sqrt(features.reduce(0) { $0 + pow(idf[$1] ?? 0, 2) })
            guard norm > 0 else { continue }
            let index = Int32(examples.count)
            examples.append(Example(intent: intent, text: text, norm: norm))
            for feature in features { examplePostings[feature, default: []].append((index, idf[feature] ?? 0)) }
        }
    }

    private static func elements(_ phrase: String, _ analyzer: inout Analyzer) -> [PhraseElement] {
        phrase.split(separator: " ").map { part in
            if part.hasPrefix("@") { return .concept(analyzer.intern(concept: part.dropFirst())) }
            return .stem(DutchStemmer.stem(Normalizer.fold(part)))
        }
    }

    /// The analysis features, interning stems of the examples so they count.
    private static func features(of analysis: Analysis, analyzer: inout Analyzer) -> Set<Int> {
        var result = Set<Int>()
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
        for feature in analysis.features {
            for (intent, k) in keywordIndex[feature] ?? [] {
                rule[intent] += intents[intent].keywords[k].weight
                matchedLabels.append((intent, intents[intent].keywords[k].label))
                touched[intent] = true
            }
        }
        var phrasesFound = Set<Int>()  // intent << 16 | phrase
        for start in analysis.sequence.indices {
            let item = analysis.sequence[start]
            for first in [PhraseElement.stem(item.stem)] + item.concepts.map(PhraseElement.concept) {
                for (intent, p) in phraseIndex[first] ?? [] where !phrasesFound.contains(intent << 16 | p) {
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
        var dot = [Double](repeating: 0, count: examples.count)
        var visited: [Int] = []
        var messageNorm = 0.0
        for feature in analysis.features {
            guard let weight = idf[feature] else { continue }
            messageNorm += weight * weight
            for (example, w) in examplePostings[feature] ?? [] {
                let index = Int(example)
                if dot[index] == 0 { visited.append(index) }
                dot[index] += w * weight
            }
        }
        messageNorm = sqrt(messageNorm)
        var bestExample = [(similarity: Double, example: Int)](repeating: (0, -1), count: intents.count)
        if messageNorm > 0 {
            for index in visited where dot[index] > 0 {
                let value = dot[index]
                let similarity = value / (messageNorm * examples[index].norm)
                let intent = examples[index].intent
                if similarity > bestExample[intent].similarity { bestExample[intent] = (similarity, index) }
                touched[intent] = true
            }
        }
        var labels = [[String]](repeating: [], count: intents.count)
        for (intent, label) in matchedLabels { labels[intent].append(label) }
        let prior = context?.previousIntent.flatMap { previous in intents.first { $0.id == previous } }
        var candidates: [Decision.Candidate] = []
        for index in intents.indices where touched[index] {
            let intent = intents[index]
            if intent.excludes.contains(where: analysis.features.contains) { continue }
            if context?.rejected.contains(intent.id) == true { continue }
            if !intent.requires.allSatisfy({ $0.contains(where: analysis.features.contains) }) { continue }
            var contextScore = 0.0
            if let context, analysis.features.count <= 3 {
                if context.offered.contains(intent.id) { contextScore += 1 }
                if let prior, prior.followups.contains(intent.id) {
                    contextScore += 0.5
                }
            }
            let similarity = bestExample[index].similarity
            // How much of the message this intent explains: a greeting inside a long DigiD
            // question, or "texel" inside a question about the weather, explains little.
            let covered = analysis.contentFeatures.filter { !$0.isEmpty && $0.contains(where: intent.vocabulary.contains) }.count
            let coverage = analysis.contentFeatures.isEmpty ? 1 : Double(covered) / Double(analysis.contentFeatures.count)
            let why = labels[index]
            let closest = bestExample[index].example >= 0 ? examples[bestExample[index].example].text : nil
            candidates.append(
                .init(
                    intent: intent.id,
                    score: (rule[index] + policy.exampleWeight * similarity + contextScore) * (1 - policy.coverageWeight * (1 - coverage)),
                    ruleScore: rule[index], coverage: coverage,
                    exampleSimilarity: similarity, contextScore: contextScore, reasons: why, closestExample: closest))
        }
        candidates.sort { ($0.score, $1.intent) > ($1.score, $0.intent) }
        return candidates
    }

    private static func matches(_ sequence: [(stem: String, concepts: [Int])], at start: Int, _ elements: [PhraseElement]) -> Bool {
        guard start + elements.count <= sequence.count else { return false }
        for (offset, element) in elements.enumerated() {
            let item = sequence[start + offset]
            switch element {
            case .stem(let stem): if item.stem != stem { return false }
            case .concept(let concept): if !item.concepts.contains(concept) { return false }
            }
        }
        return true
    }

    func followups(of intent: String) -> [String] { intents.first { $0.id == intent }?.followups ?? [] }
}
