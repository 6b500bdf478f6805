import BakenTesting
import Foundation
import Testing

@testable import BakenDesk

/// Every wire code is declared once in `ProtocolError.Code` and documented in docs/protocol.md.
@Suite struct ProtocolErrorDocsTests {
    /// The codes in the first column of the tables under "## Errors" and "### Staff errors".
    static func documentedCodes() throws -> Set<String> {
        let text = try String(contentsOfFile: ShippedKnowledge.root + "/docs/protocol.md", encoding: .utf8)
        var codes = Set<String>()
        var inErrors = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("#") { inErrors = line == "## Errors" || line == "### Staff errors" }
            guard inErrors, line.hasPrefix("| `") else { continue }
            let cell = line.dropFirst(2).prefix { $0 != "|" }
            for part in cell.split(separator: "`") where part.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "_" }) && !part.isEmpty {
                codes.insert(String(part))
            }
        }
        return codes
    }

    @Test func everyCodeIsDocumentedAndEveryDocumentedCodeExists() throws {
        let declared = Set(ProtocolError.Code.allCases.map(\.rawValue))
        let documented = try Self.documentedCodes()
        #expect(declared.subtracting(documented).sorted() == [], "declared in ProtocolError.Code but missing from docs/protocol.md")
        #expect(documented.subtracting(declared).sorted() == [], "in docs/protocol.md but not declared in ProtocolError.Code")
    }

    @Test func closingErrorsCloseWithTheirOwnCode() {
        let error = ProtocolError.tooLarge(limit: 10)
        #expect(error.closesConnection)
        #expect(CloseReason.error(error.kind).text == "too_large")
        #expect(error.kind.closeClass == .tooLarge)
        #expect(ProtocolError.Code.replaced.closeClass == .policyViolation)
    }
}
