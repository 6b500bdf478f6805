/// The Snowball Dutch stemmer (Porter-style), on folded ASCII words.
///
/// `"aanvragen"` → `"aanvrag"`, `"vergeten"`/`"vergete"` → `"verget"`. Words with other
/// letters than a–z are returned unchanged.
public enum DutchStemmer {
    /// Returns the stem of a lower-cased, diacritic-free word.
    public static func stem(_ word: String) -> String {
        guard word.utf8.count > 2, word.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return word }
        var w = Array(word.utf8)
        markSemivowels(&w)
        let (r1, r2) = regions(w)
        var eFound = false

        // Step 1
        if hasSuffix(w, "heden") {
            if w.count - 5 >= r1 { w.removeLast(5); w += Array("heid".utf8) }
        } else if hasSuffix(w, "ene"), w.count - 3 >= r1, validEnEnding(w, w.count - 3) {
            w.removeLast(3); undouble(&w)
        } else if hasSuffix(w, "en"), w.count - 2 >= r1, validEnEnding(w, w.count - 2) {
            w.removeLast(2); undouble(&w)
        } else if hasSuffix(w, "se"), w.count - 2 >= r1, validSEnding(w, w.count - 2) {
            w.removeLast(2)
        } else if hasSuffix(w, "s"), w.count - 1 >= r1, validSEnding(w, w.count - 1) {
            w.removeLast(1)
        }
        // Step 2
        if hasSuffix(w, "e"), w.count - 1 >= r1, w.count >= 2, !isVowel(w[w.count - 2]) {
            w.removeLast(); eFound = true; undouble(&w)
        }
        // Step 3a
        if hasSuffix(w, "heid"), w.count - 4 >= r2, w.count >= 5, w[w.count - 5] != c("c") {
            w.removeLast(4)
            if hasSuffix(w, "en"), w.count - 2 >= r1, validEnEnding(w, w.count - 2) {
                w.removeLast(2); undouble(&w)
            }
        }
        // Step 3b
        if hasSuffix(w, "end") || hasSuffix(w, "ing") {
            if w.count - 3 >= r2 {
                w.removeLast(3)
                if hasSuffix(w, "ig"), w.count - 2 >= r2, w.count >= 3, w[w.count - 3] != c("e") {
                    w.removeLast(2)
                } else {
                    undouble(&w)
                }
            }
        } else if hasSuffix(w, "ig") {
            if w.count - 2 >= r2, w.count >= 3, w[w.count - 3] != c("e") { w.removeLast(2) }
        } else if hasSuffix(w, "lijk") {
            if w.count - 4 >= r2 {
                w.removeLast(4)
                if hasSuffix(w, "e"), w.count - 1 >= r1, w.count >= 2, !isVowel(w[w.count - 2]) {
                    w.removeLast(); undouble(&w)
                }
            }
        } else if hasSuffix(w, "baar") {
            if w.count - 4 >= r2 { w.removeLast(4) }
        } else if hasSuffix(w, "bar") {
            if w.count - 3 >= r2, eFound { w.removeLast(3) }
        }
        // Step 4: undouble a vowel in CVVD
        if w.count >= 4 {
            let n = w.count
            let d = w[n - 1], v1 = w[n - 2], v2 = w[n - 3], cc = w[n - 4]
            if !isVowel(d), d != c("I"), v1 == v2, [c("a"), c("e"), c("o"), c("u")].contains(v1), !isVowel(cc) {
                w.remove(at: n - 2)
            }
        }
        for i in w.indices {
            if w[i] == c("I") { w[i] = c("i") } else if w[i] == c("Y") { w[i] = c("y") }
        }
        return String(decoding: w, as: UTF8.self)
    }

    // MARK: - Helpers

    private static func c(_ s: Unicode.Scalar) -> UInt8 { UInt8(s.value) }

    private static func isVowel(_ b: UInt8) -> Bool {
        switch b {
        case 0x61, 0x65, 0x69, 0x6F, 0x75, 0x79: return true  // a e i o u y
        default: return false
        }
    }

    private static func hasSuffix(_ w: [UInt8], _ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard w.count >= n else { return false }
        return s.withUTF8Buffer { buf in
            for i in 0..<n where w[w.count - n + i] != buf[i] { return false }
            return true
        }
    }

    /// Initial y and y after a vowel become Y; i between vowels becomes I.
    private static func markSemivowels(_ w: inout [UInt8]) {
        if w.first == c("y") { w[0] = c("Y") }
        for i in 1..<w.count {
            if w[i] == c("y"), isVowel(w[i - 1]) {
                w[i] = c("Y")
            } else if w[i] == c("i"), isVowel(w[i - 1]), i + 1 < w.count, isVowel(w[i + 1]) {
                w[i] = c("I")
            }
        }
    }

    private static func regions(_ w: [UInt8]) -> (Int, Int) {
        func after(_ start: Int) -> Int {
            var i = start
            while i < w.count, !isVowel(w[i]) { i += 1 }
            while i < w.count, isVowel(w[i]) { i += 1 }
            return min(i + 1, w.count)
        }
        var r1 = after(0)
        let r2 = after(r1)
        if r1 < 3 { r1 = min(3, w.count) }
        return (r1, r2)
    }

    private static func validEnEnding(_ w: [UInt8], _ at: Int) -> Bool {
        guard at >= 1, !isVowel(w[at - 1]) else { return false }
        if at >= 3, w[at - 3] == c("g"), w[at - 2] == c("e"), w[at - 1] == c("m") { return false }
        return true
    }

    private static func validSEnding(_ w: [UInt8], _ at: Int) -> Bool {
        guard at >= 1 else { return false }
        return !isVowel(w[at - 1]) && w[at - 1] != c("j")
    }

    private static func undouble(_ w: inout [UInt8]) {
        let n = w.count
        guard n >= 2, w[n - 1] == w[n - 2], [c("k"), c("d"), c("t")].contains(w[n - 1]) else { return }
        w.removeLast()
    }
}
