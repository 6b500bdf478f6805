/// One line of the TCP transport, as the line decoder hands it over (without its `\n`).
public enum LineFrame {
    /// The frame a line carries: a trailing `\r` is dropped (CRLF clients), a blank line is
    /// nothing (keep-alive from `nc`), anything else is a text frame for ``Desk/receive(_:from:)``.
    public static func frame(of line: [UInt8]) -> Frame? {
        var bytes = line
        if bytes.last == 0x0D { bytes.removeLast() }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return nil }
        return .text(bytes)
    }
}
