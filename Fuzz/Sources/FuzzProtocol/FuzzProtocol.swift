import BakenDesk
import FuzzSupport

/// Any bytes as one WebSocket text frame or TCP line: decoding either succeeds or throws a
/// documented protocol error whose text can be sent; it never crashes or hangs.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProtocol(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: count)
    for staff in [false, true] {
        do {
            if staff {
                _ = try StaffCommand.decode(bytes)
            } else {
                let message = try ClientMessage.decode(bytes)
                _ = message.type
            }
        } catch {
            // Every error the decoder throws is one of the codes docs/protocol.md lists.
            expect(ProtocolError.Code(rawValue: error.code) != nil, "undocumented code \(error.code)")
            expect(!error.message.isEmpty, "an error without a message")
        }
    }
    return 0
}
