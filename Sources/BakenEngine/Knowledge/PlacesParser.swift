import Foundation
import Yams

/// Parses `knowledge/locations.yaml` and `knowledge/partners.yaml`.
struct PlacesParser {
    var directory: String

    private static let weekdays: [String: Int] = [
        "sunday": 1, "monday": 2, "tuesday": 3, "wednesday": 4, "thursday": 5, "friday": 6, "saturday": 7,
        "zondag": 1, "maandag": 2, "dinsdag": 3, "woensdag": 4, "donderdag": 5, "vrijdag": 6, "zaterdag": 7,
    ]

    func parseLocations(into base: inout KnowledgeBase, problems: inout [Diagnostic]) {
        let file = (directory as NSString).appendingPathComponent("locations.yaml")
        guard FileManager.default.fileExists(atPath: file) else {
            problems.append(Diagnostic(.warning, "missing_file", at: .init(file: file, line: 0), "There is no locations file; walk-in hours cannot be shown."))
            return
        }
        guard let root = YAMLReader.compose(file: file, problems: &problems) else { return }
        base.timeZone = root["timezone"]?.string ?? "Europe/Amsterdam"
        base.holidays = Set(YAMLReader.strings(root["holidays"]))
        for item in root["locations"]?.sequence ?? [] {
            let place = SourceLocation(file: file, line: YAMLReader.line(item, offset: 0))
            guard let id = item["id"]?.string else {
                problems.append(Diagnostic(.error, "missing_field", at: place, "A location has no `id`."))
                continue
            }
            if base.location(id) != nil {
                problems.append(Diagnostic(.error, "duplicate_id", at: place, "Location id '\(id)' is used twice."))
                continue
            }
            var location = Location(
                    id: id, name: item["name"]?.string ?? id, municipality: item["municipality"]?.string ?? "",
                    address: item["address"]?.string ?? "", confirmed: item["confirmed"]?.bool ?? false,
                    openingHours: hours(item["opening_hours"], file: file, problems: &problems),
                    chatHours: hours(item["chat_hours"], file: file, problems: &problems),
                    walkIn: hours(item["walk_in"], file: file, problems: &problems),
                    closedDates: Set(YAMLReader.strings(item["closed_dates"])))
            location.phone = item["phone"]?.string
            location.services = YAMLReader.strings(item["services"])
            location.aliases = YAMLReader.strings(item["aliases"])
            location.kind = item["kind"]?.string ?? "general"
            location.url = item["url"]?.string
            if item["digital_help"]?.bool == false { location.services.removeAll { $0 == "digital_help" } }
            base.locations.append(location)
        }
        for (key, value) in root["early_closing"]?.mapping ?? [:] {
            guard let day = key.string, let time = value.string.flatMap(Self.minutes) else {
                problems.append(
                    Diagnostic(.error, "bad_hours", at: SourceLocation(file: file, line: YAMLReader.line(key, offset: 0)),
                        "early_closing needs \"YYYY-MM-DD\": \"HH:MM\".", hint: "Write it as \"2026-12-24\": \"16:00\"."))
                continue
            }
            base.earlyClosing[day] = time
        }
    }

    func parsePartners(into base: inout KnowledgeBase, problems: inout [Diagnostic]) {
        let file = (directory as NSString).appendingPathComponent("partners.yaml")
        guard FileManager.default.fileExists(atPath: file) else { return }
        guard let root = YAMLReader.compose(file: file, problems: &problems) else { return }
        for item in root["partners"]?.sequence ?? [] {
            let place = SourceLocation(file: file, line: YAMLReader.line(item, offset: 0))
            guard let id = item["id"]?.string else {
                problems.append(Diagnostic(.error, "missing_field", at: place, "A partner has no `id`."))
                continue
            }
            let url = item["url"]?.string ?? ""
            if !url.isEmpty && !url.hasPrefix("https://") {
                problems.append(Diagnostic(.error, "link_not_https", at: place, "Partner '\(id)' has a url that is not https: \(url)."))
            }
            var descriptions: [Language: String] = [:]
            descriptions[.nl] = item["description_nl"]?.string
            descriptions[.en] = item["description_en"]?.string
            var partner = Partner(
                id: id, name: item["name"]?.string ?? id, descriptions: descriptions,
                helpsWith: YAMLReader.strings(item["helps_with"]), url: url, fields: YAMLReader.strings(item["fields"]),
                confirmed: item["confirmed"]?.bool ?? false)
            partner.phone = item["phone"]?.string.flatMap { $0.isEmpty ? nil : $0 }
            base.partners.append(partner)
        }
    }

    private func hours(_ node: Node?, file: String, problems: inout [Diagnostic]) -> WeeklyHours {
        var result = WeeklyHours()
        guard let mapping = node?.mapping else { return result }
        for (key, value) in mapping {
            let place = SourceLocation(file: file, line: YAMLReader.line(key, offset: 0))
            guard let day = key.string.flatMap({ Self.weekdays[$0.lowercased()] }) else {
                problems.append(Diagnostic(.error, "bad_weekday", at: place, "'\(key.string ?? "")' is not a weekday.", hint: "Use monday … sunday."))
                continue
            }
            for range in YAMLReader.strings(value) {
                guard let interval = Self.interval(range) else {
                    problems.append(Diagnostic(.error, "bad_hours", at: place, "'\(range)' is not a time range.", hint: "Write it as \"09:30-12:00\"."))
                    continue
                }
                result.days[day, default: []].append(interval)
            }
        }
        return result
    }

    static func interval(_ text: String) -> WeeklyHours.Interval? {
        let parts = text.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let start = minutes(parts[0]), let end = minutes(parts[1]), start < end else { return nil }
        return .init(start: start, end: end)
    }

    private static func minutes(_ text: String) -> Int? {
        let hm = text.split(separator: ":")
        guard hm.count == 2, let h = Int(hm[0]), let m = Int(hm[1]), (0...24).contains(h), (0..<60).contains(m) else { return nil }
        return h * 60 + m
    }
}
