/// A set of feature ids (small dense integers): the members in ascending order for iterating,
/// and a bitmap for `contains` without hashing.
///
/// Matching asks "does the message have this feature?" thousands of times a message; a
/// `Set<Int>` hashes each time, a bitmap looks one word up.
struct FeatureSet: Sendable, Hashable {
    /// The ids, ascending, each once.
    private(set) var members: [Int] = []
    private var bits: [UInt64] = []

    init() {}

    init<S: Sequence>(_ ids: S) where S.Element == Int {
        for id in ids { insert(id) }
    }

    var count: Int { members.count }
    var isEmpty: Bool { members.isEmpty }

    func contains(_ id: Int) -> Bool {
        let word = id >> 6
        return id >= 0 && word < bits.count && bits[word] & (1 << UInt64(id & 63)) != 0
    }

    /// Adds `id`; returns whether it was new.
    @discardableResult
    mutating func insert(_ id: Int) -> Bool {
        precondition(id >= 0, "feature ids are not negative")
        let word = id >> 6
        if word >= bits.count { bits.append(contentsOf: repeatElement(0, count: word + 1 - bits.count)) }
        let mask: UInt64 = 1 << UInt64(id & 63)
        guard bits[word] & mask == 0 else { return false }
        bits[word] |= mask
        if let last = members.last, last > id {
            members.insert(id, at: members.firstIndex { $0 > id }!)
        } else {
            members.append(id)
        }
        return true
    }

    mutating func formUnion<S: Sequence>(_ ids: S) where S.Element == Int {
        for id in ids { insert(id) }
    }

    func union(_ other: FeatureSet) -> FeatureSet {
        var result = self
        result.formUnion(other.members)
        return result
    }
}

extension FeatureSet: Sequence {
    func makeIterator() -> IndexingIterator<[Int]> { members.makeIterator() }
}
