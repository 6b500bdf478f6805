import Testing
@testable import BakenDesk
