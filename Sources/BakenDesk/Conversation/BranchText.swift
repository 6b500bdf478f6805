import BakenEngine
import Foundation

/// Answers about a library branch from `knowledge/locations.yaml`: opening hours today and
/// now, this week, the address, the phone number, what it offers. Pure: the moment is passed in.
struct BranchText {
    let knowledge: KnowledgeBase
    let hours: BusinessHours

    /// Questions whose answer depends on the branch.
    static let branchQuestions: Set<String> = [
        "vestiging/openingstijden", "vestiging/adres", "vestiging/telefoon", "vestiging/diensten", "spreekuur/wanneer",
    ]

    static func dayName(_ weekday: Int, _ language: Language) -> String {
        let nl = ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"]
        let en = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        return (language == .nl ? nl : en)[(weekday - 1) % 7]
    }

    static func time(_ minute: Int) -> String { String(format: "%02d:%02d", minute / 60, minute % 60) }

    /// The answer to a branch question for one branch.
    func answer(_ question: String, location: Location, language: Language, now: Date) -> Reply {
        let nl = language == .nl
        var lines: [String] = []
        var options: [Reply.Option] = []
        switch question {
        case "vestiging/adres":
            lines.append(nl ? "Het adres van \(location.name):" : "The address of \(location.name):")
            lines.append(location.address)
        case "vestiging/telefoon":
            if let phone = location.phone {
                lines.append(nl ? "Het telefoonnummer van \(location.name) is \(phone)." : "The phone number of \(location.name) is \(phone).")
            } else {
                lines.append(
                    nl ? "Ik heb geen telefoonnummer van \(location.name). Op de website van de bibliotheek staat hoe u contact opneemt."
                        : "I do not have a phone number for \(location.name). The library website says how to contact them.")
            }
        case "vestiging/diensten":
            lines.append(services(location, language))
        case "spreekuur/wanneer":
            if location.walkIn.isEmpty {
                lines.append(
                    nl ? "Bij \(location.name) is er geen vast spreekuur voor digitale hulp. Kies een andere bibliotheek."
                        : "\(location.name) has no fixed walk-in hours for digital help. Choose another library.")
                options = municipalityOptions(language, digitalHelpOnly: true)
            } else {
                lines.append(
                    (nl ? "Spreekuur digitale hulp in \(location.name):" : "Walk-in digital help at \(location.name):")
                        + "\n" + Self.week(location.walkIn, language))
                lines.append(nl ? "De hulp is gratis. U hoeft geen lid te zijn." : "The help is free. You do not need to be a member.")
            }
        default:  // vestiging/openingstijden
            lines.append(today(location, language: language, now: now))
            options.append(Reply.Option(id: "week:" + location.id, label: nl ? "Tijden deze week" : "Hours this week"))
        }
        if !location.confirmed {
            lines.append(
                nl ? "Let op: deze gegevens zijn nog niet bevestigd. Kijk voor de zekerheid op de website van de bibliotheek."
                    : "Note: these details are not confirmed yet. Please check the library website to be sure.")
        }
        var links: [Link] = []
        if let url = location.url, url.hasPrefix("https://") { links.append(Link(title: location.name, url: url)) }
        options.append(Reply.Option(id: "municipality:", label: nl ? "Andere bibliotheek" : "Another library"))
        return Reply(text: lines.joined(separator: "\n"), options: options, links: links)
    }

    /// Opening hours of a whole week.
    func weekAnswer(_ location: Location, language: Language) -> Reply {
        let nl = language == .nl
        var text = (nl ? "Openingstijden \(location.name):" : "Opening hours \(location.name):") + "\n" + Self.week(location.openingHours, language)
        if !location.confirmed {
            text += "\n" + (nl ? "Let op: deze tijden zijn nog niet bevestigd." : "Note: these hours are not confirmed yet.")
        }
        return Reply(text: text, options: [Reply.Option(id: "municipality:", label: nl ? "Andere bibliotheek" : "Another library")])
    }

    /// "Open today from 10:00 to 17:00. Open now until 17:00." and the like.
    func today(_ location: Location, language: Language, now date: Date) -> String {
        let nl = language == .nl
        let now = hours.local(date)
        if knowledge.holidays.contains(now.day) || location.closedDates.contains(now.day) {
            return nl ? "\(location.name) is vandaag gesloten." : "\(location.name) is closed today."
        }
        var intervals = location.openingHours.days[now.weekday] ?? []
        if let early = knowledge.earlyClosing[now.day] {
            intervals = intervals.compactMap { $0.start >= early ? nil : .init(start: $0.start, end: min($0.end, early)) }
        }
        guard !intervals.isEmpty else {
            return nl ? "\(location.name) is vandaag (\(Self.dayName(now.weekday, language))) gesloten." : "\(location.name) is closed today (\(Self.dayName(now.weekday, language)))."
        }
        let spans = intervals.map { "\(Self.time($0.start))–\(Self.time($0.end))" }.joined(separator: nl ? " en " : " and ")
        var text = nl ? "\(location.name) is vandaag (\(Self.dayName(now.weekday, language))) open: \(spans)." : "\(location.name) is open today (\(Self.dayName(now.weekday, language))): \(spans)."
        if let current = intervals.first(where: { $0.start <= now.minute && now.minute < $0.end }) {
            text += nl ? "\nNu open tot \(Self.time(current.end))." : "\nOpen now until \(Self.time(current.end))."
        } else if let next = intervals.first(where: { $0.start > now.minute }) {
            text += nl ? "\nNu gesloten. Weer open om \(Self.time(next.start))." : "\nClosed now. Opens again at \(Self.time(next.start))."
        } else {
            text += nl ? "\nNu gesloten." : "\nClosed now."
        }
        return text
    }

    static func week(_ hours: WeeklyHours, _ language: Language) -> String {
        [2, 3, 4, 5, 6, 7, 1].compactMap { day -> String? in
            guard let intervals = hours.days[day], !intervals.isEmpty else { return nil }
            return "\(Self.dayName(day, language)): " + intervals.map { "\(Self.time($0.start))–\(Self.time($0.end))" }.joined(separator: ", ")
        }.joined(separator: "\n")
    }

    func services(_ location: Location, _ language: Language) -> String {
        let nl = language == .nl
        let names: [String: (String, String)] = [
            "digital_help": ("hulp bij digitale vragen (Informatiepunt Digitale Overheid)", "help with digital questions (digital government desk)"),
            "printing": ("printen en kopiëren", "printing and copying"), "taalhuis": ("Taalhuis: hulp met taal", "Taalhuis: help with language"),
            "computers": ("computers voor iedereen", "public computers"), "wifi": ("gratis wifi", "free wifi"),
        ]
        let offered = location.services.compactMap { names[$0].map { nl ? $0.0 : $0.1 } }
        if location.kind == "children" {
            return nl ? "\(location.name) is een kinderbibliotheek. Voor digitale hulp kiest u een andere bibliotheek."
                : "\(location.name) is a children's library. For digital help, choose another library."
        }
        guard !offered.isEmpty else {
            return nl ? "Wat \(location.name) precies biedt, staat op de website van de bibliotheek." : "The library website lists what \(location.name) offers."
        }
        return (nl ? "In \(location.name) kunt u terecht voor:" : "At \(location.name) you can get:") + "\n" + offered.map { "- " + $0 }.joined(separator: "\n")
    }

    /// "Which library? Choose your municipality." with a button per municipality.
    func askMunicipality(_ language: Language, digitalHelpOnly: Bool) -> Reply {
        Reply(
            text: language == .nl ? "Over welke bibliotheek gaat het? Kies eerst uw gemeente." : "Which library do you mean? First choose your municipality.",
            options: municipalityOptions(language, digitalHelpOnly: digitalHelpOnly))
    }

    func municipalityOptions(_ language: Language, digitalHelpOnly: Bool) -> [Reply.Option] {
        var seen = Set<String>()
        return knowledge.locations.filter { $0.kind != "children" && (!digitalHelpOnly || !$0.walkIn.isEmpty) }.compactMap { location in
            guard seen.insert(location.municipality).inserted else { return nil }
            return Reply.Option(id: "municipality:" + location.municipality, label: location.municipality)
        }
    }

    /// "Choose the library" with a button per general branch of a municipality.
    func askBranch(in municipality: String, _ language: Language, digitalHelpOnly: Bool) -> Reply {
        let branches = knowledge.locations.filter {
            $0.municipality == municipality && $0.kind != "children" && (!digitalHelpOnly || !$0.walkIn.isEmpty)
        }
        return Reply(
            text: language == .nl ? "Kies de bibliotheek." : "Choose the library.",
            options: branches.map { Reply.Option(id: "location:" + $0.id, label: $0.name) })
    }
}
