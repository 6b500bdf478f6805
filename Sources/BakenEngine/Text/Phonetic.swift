/// A coarse Dutch sound key: words that sound alike get the same key
/// (`wachtwoort` ≈ `wachtwoord`, `paswoort` ≈ `paswoord`, `ebuk` ≈ `ebook`).
enum Phonetic {
    static func key(_ folded: String) -> String {
        var input = Array(folded.utf8)
        guard input.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return folded }
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var i = 0
        func at(_ k: Int) -> UInt8 { k < input.count ? input[k] : 0 }
        while i < input.count {
            let a = input[i], b = at(i + 1), c = at(i + 2)
            var emit: [UInt8]
            var step = 1
            switch (a, b) {
            case (0x73, 0x63) where c == 0x68: emit = [0x73]; step = 3  // sch → s
            case (0x70, 0x68): emit = [0x66]; step = 2  // ph → f
            case (0x74, 0x68): emit = [0x74]; step = 2  // th → t
            case (0x63, 0x68): emit = [0x67]; step = 2  // ch → g
            case (0x64, 0x74): emit = [0x74]; step = 2  // dt → t
            case (0x69, 0x6A), (0x65, 0x69): emit = [0x65, 0x69]; step = 2  // ij, ei → ei
            case (0x61, 0x75): emit = [0x6F, 0x75]; step = 2  // au → ou
            case (0x69, 0x65): emit = [0x69]; step = 2  // ie → i
            case (0x6F, 0x65): emit = [0x75]; step = 2  // oe → u
            default:
                switch a {
                case 0x79: emit = [0x65, 0x69]  // y → ei
                case 0x63, 0x71: emit = [0x6B]  // c, q → k
                case 0x78: emit = [0x6B, 0x73]  // x → ks
                case 0x76: emit = [0x66]  // v → f
                case 0x7A: emit = [0x73]  // z → s
                case 0x77: emit = [0x76]  // w → v
                default: emit = [a]
                }
            }
            for byte in emit where out.last != byte { out.append(byte) }  // also collapses doubles
            i += step
        }
        input = out
        if input.last == 0x64 { input[input.count - 1] = 0x74 }  // final d sounds as t
        if input.count > 3, input.last == 0x6E, input[input.count - 2] == 0x65 { input.removeLast() }  // -en ≈ -e
        return String(decoding: input, as: UTF8.self)
    }
}
