/// Hours per weekday: `weekday (1 = Sunday … 7 = Saturday, as Calendar counts)` → intervals in minutes since midnight.
public struct WeeklyHours: Sendable, Hashable {
    /// An interval within a day, minutes since midnight, end exclusive.
    public struct Interval: Sendable, Hashable, CustomStringConvertible {
        public var start: Int
        public var end: Int
        public init(start: Int, end: Int) {
            self.start = start
            self.end = end
        }
        public var description: String {
            String(format: "%02d:%02d-%02d:%02d", start / 60, start % 60, end / 60, end % 60)
        }
    }

    /// Weekday → intervals.
    public var days: [Int: [Interval]]

    /// Creates hours.
    public init(days: [Int: [Interval]] = [:]) { self.days = days }

    /// Whether `minute` of `weekday` falls in an interval.
    public func contains(weekday: Int, minute: Int) -> Bool {
        days[weekday, default: []].contains { $0.start <= minute && minute < $0.end }
    }

    /// True when no day has hours.
    public var isEmpty: Bool { days.values.allSatisfy(\.isEmpty) }
}

/// A library branch (`knowledge/locations.yaml`).
public struct Location: Sendable, Hashable {
    public var id: String
    public var name: String
    public var municipality: String
    public var address: String
    /// False where the values are examples the library must confirm.
    public var confirmed: Bool
    public var openingHours: WeeklyHours
    /// When staff answer the chat.
    public var chatHours: WeeklyHours
    /// Informatiepunt Digitale Overheid walk-in hours.
    public var walkIn: WeeklyHours
    /// Extra closed dates, `YYYY-MM-DD`.
    public var closedDates: Set<String>
    /// The branch's phone number, when an official page gives one.
    public var phone: String? = nil
    /// What the branch offers: `digital_help`, `printing`, `taalhuis`, `computers`, `wifi`.
    public var services: [String] = []
    /// Place names and spellings residents use for it (`den burg`, `denburg`, `texel`).
    public var aliases: [String] = []
    /// `general`, or `children` for a children's library (not offered for digital help).
    public var kind: String = "general"
    /// The branch's own page.
    public var url: String? = nil

    /// Creates a location.
    public init(
        id: String, name: String, municipality: String, address: String, confirmed: Bool = false,
        openingHours: WeeklyHours = .init(), chatHours: WeeklyHours = .init(), walkIn: WeeklyHours = .init(),
        closedDates: Set<String> = []
    ) {
        self.id = id
        self.name = name
        self.municipality = municipality
        self.address = address
        self.confirmed = confirmed
        self.openingHours = openingHours
        self.chatHours = chatHours
        self.walkIn = walkIn
        self.closedDates = closedDates
    }
}

/// An organisation Baken can refer a resident to (`knowledge/partners.yaml`).
public struct Partner: Sendable, Hashable {
    public var id: String
    public var name: String
    /// One sentence per language.
    public var descriptions: [Language: String]
    /// Intent ids the partner helps with.
    public var helpsWith: [String]
    /// The partner's public page.
    public var url: String
    /// The fields the partner may receive.
    public var fields: [String]
    public var confirmed: Bool
    /// The partner's phone number, only where the partner's own page gives it.
    public var phone: String? = nil

    /// Creates a partner.
    public init(
        id: String, name: String, descriptions: [Language: String] = [:], helpsWith: [String] = [],
        url: String = "", fields: [String] = [], confirmed: Bool = false
    ) {
        self.id = id
        self.name = name
        self.descriptions = descriptions
        self.helpsWith = helpsWith
        self.url = url
        self.fields = fields
        self.confirmed = confirmed
    }
}
