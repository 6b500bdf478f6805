import BakenEngine
import Foundation

/// Whether a location's chat is staffed at a moment, in the knowledge base's time zone
/// (Europe/Amsterdam), with national holidays and a location's own closed dates.
public struct BusinessHours: Sendable {
    private let knowledge: KnowledgeBase
    private let calendar: Calendar

    /// Creates the rules from the knowledge base.
    public init(knowledge: KnowledgeBase) {
        self.knowledge = knowledge
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: knowledge.timeZone) ?? TimeZone(identifier: "Europe/Amsterdam")!
        self.calendar = calendar
    }

    /// The local weekday (1 = Sunday), minute of the day and `YYYY-MM-DD` of a moment.
    public func local(_ date: Date) -> (weekday: Int, minute: Int, day: String) {
        let parts = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute], from: date)
        let day = String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        return (parts.weekday ?? 1, (parts.hour ?? 0) * 60 + (parts.minute ?? 0), day)
    }

    /// Whether staff answer the chat of `locationID` at `date`. Without a location, whether
    /// any location's chat is open.
    public func chatIsOpen(_ locationID: String?, at date: Date) -> Bool {
        let now = local(date)
        if knowledge.holidays.contains(now.day) { return false }
        let candidates = locationID.flatMap { knowledge.location($0) }.map { [$0] } ?? knowledge.locations
        return candidates.contains { location in
            !location.closedDates.contains(now.day) && location.chatHours.contains(weekday: now.weekday, minute: now.minute)
        }
    }
}
