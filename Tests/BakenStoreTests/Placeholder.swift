import Testing
@testable import BakenStore
