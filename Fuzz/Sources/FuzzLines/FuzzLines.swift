import BakenDesk
import FuzzSupport
import NIOCore
import NIOEmbedded
import NIOExtras

/// The TCP transport's framing with the server's default limit (16 KiB).
let limit = DeskConfiguration().maxFrameBytes

/// Bytes as they could arrive on a TCP connection, cut into reads at places the input picks:
/// NIO's line decoder with the transport's buffer limit, then `LineFrame`, then the decoder.
/// Checked against a model written here: the lines handed over are exactly the input's
/// newline-terminated pieces (a `\r` before the `\n` dropped), in order; the decoder stops
/// with `PayloadTooLargeError` (the transport answers `too_large` and closes) exactly when an
/// unfinished line held after a read is over the limit, and never fails otherwise.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLines(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: count))
    // The first two bytes pick the read size (1…65,536 bytes); the rest is the stream.
    guard input.count >= 2 else { return 0 }
    let stream = Array(input.dropFirst(2))
    let readSize = Int(input[0]) << 8 + Int(input[1]) + 1
    let channel = EmbeddedChannel()
    try! channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineBasedFrameDecoder(), maximumBufferSize: limit))
    var lines: [[UInt8]] = []
    var expected: [[UInt8]] = []
    var tooLarge = false
    var expectTooLarge = false
    var lineStart = 0
    var offset = 0
    while offset < stream.count, !tooLarge {
        let end = min(offset + readSize, stream.count)
        do {
            try channel.writeInbound(ByteBuffer(bytes: stream[offset..<end]))
        } catch is ByteToMessageDecoderError.PayloadTooLargeError {
            tooLarge = true
        } catch {
            expect(false, "unexpected decoder error \(error)")
        }
        while var line = try! channel.readInbound(as: ByteBuffer.self) {
            lines.append(line.readBytes(length: line.readableBytes)!)
        }
        // The model of the same read.
        for index in offset..<end where stream[index] == 0x0A {
            var line = Array(stream[lineStart..<index])
            if line.last == 0x0D { line.removeLast() }
            expected.append(line)
            lineStart = index + 1
        }
        if end - lineStart > limit { expectTooLarge = true }
        expect(tooLarge == expectTooLarge, "too large: decoder \(tooLarge), model \(expectTooLarge) after byte \(end)")
        offset = end
    }
    _ = try? channel.finish()
    expect(lines == expected, "the decoder's \(lines.count) lines differ from the model's \(expected.count)")
    for line in lines {
        guard case .text(let bytes) = LineFrame.frame(of: line) else {
            expect(line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }, "a line with content was dropped")
            continue
        }
        expect(!bytes.contains(0x0A), "a newline inside a frame")
        // The desk refuses a frame over the limit before decoding it (Desk.receive).
        guard bytes.count <= limit else { continue }
        do {
            _ = try ClientMessage.decode(bytes)
        } catch {
            expect(ProtocolError.Code(rawValue: error.code) != nil, "undocumented code \(error.code)")
        }
    }
    return 0
}
