/// Tells a remark ("de belastingdienst is één grote zooi", "haha") from a request for help,
/// by the words of ``RemarkRule``. Matching is on the words as written (folded), so the
/// markers never change how the rest of the message is read.
struct RemarkReader: Sendable {
    /// What a message shows: the first marker of each kind found, or nil.
    struct Reading: Sendable, Hashable {
        var remark: String?
        var request: String?
        var opinion: String?

        /// A remark, or a request for the bot's opinion, that asks nothing else.
        var isRemark: Bool { (remark != nil || opinion != nil) && request == nil }
        /// The marker that made it a remark, for the explanation.
        var marker: String? { opinion ?? remark }
    }

    private struct Markers: Sendable {
        var words: Set<String> = []
        /// First word → the phrases (as word lists) beginning with it.
        var phrases: [String: [[String]]] = [:]

        init(_ members: [String]) {
            for member in members {
                let words = Normalizer.tokens(member).filter { $0.kind == .word }.map(\.folded)
                if words.count == 1 {
                    self.words.insert(words[0])
                } else if let first = words.first {
                    phrases[first, default: []].append(words)
                }
            }
        }

        /// The first marker in `words` (as written in the rule's words) and the positions it covers.
        func first(in words: [String]) -> (marker: String, range: Range<Int>)? {
            for (index, word) in words.enumerated() {
                if self.words.contains(word) { return (word, index..<(index + 1)) }
                for phrase in phrases[word] ?? [] where index + phrase.count <= words.count {
                    if words[index..<(index + phrase.count)].elementsEqual(phrase) {
                        return (phrase.joined(separator: " "), index..<(index + phrase.count))
                    }
                }
            }
            return nil
        }
    }

    private let request: Markers
    private let remark: Markers
    private let opinion: Markers
    /// The words a remark or an opinion marker begins with: a message with none of them is a
    /// request, and ``read(words:hasQuestionMark:)`` need not run (empty without a rule).
    let triggers: Set<String>

    init(rule: RemarkRule?) {
        request = Markers(rule?.request ?? [])
        remark = Markers(rule?.remark ?? [])
        opinion = Markers(rule?.opinion ?? [])
        triggers = remark.words.union(remark.phrases.keys).union(opinion.words).union(opinion.phrases.keys)
    }

    /// Reads the folded words of a message; a question mark counts as a request. The words of an
    /// opinion marker do not count as a request themselves ("wat" in "wat vind jij").
    func read(words: [String], hasQuestionMark: @autoclosure () -> Bool) -> Reading {
        let opinion = self.opinion.first(in: words)
        guard let remarked = remark.first(in: words) ?? opinion else { return Reading() }
        var rest = words
        if let opinion { rest.removeSubrange(opinion.range) }
        return Reading(
            remark: remarked.marker, request: hasQuestionMark() ? "?" : request.first(in: rest)?.marker, opinion: opinion?.marker)
    }
}
