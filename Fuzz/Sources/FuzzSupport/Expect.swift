#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Stops the run when a property does not hold, printing why (a release build drops the message
/// of `precondition`). libFuzzer then keeps the input as a crash artifact.
@inlinable
public func expect(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() {
        let line = "PROPERTY FAILED: \(message())\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
        abort()
    }
}
