import Testing
@testable import BakenServer
