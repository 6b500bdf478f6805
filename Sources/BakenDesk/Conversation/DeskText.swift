import BakenEngine

/// The desk's own sentences, in B1 Dutch and plain English.
enum DeskText {
    static func noStaff(_ language: Language) -> String {
        language == .nl
            ? "Er is nu geen medewerker in de chat.\nU kunt wel langskomen in de bibliotheek. Daar helpen we u graag."
            : "There is no staff member in the chat right now.\nYou can visit the library. We are happy to help you there."
    }

    static func callbackOffer(_ language: Language) -> String {
        language == .nl
            ? "Wilt u dat wij u terugbellen of mailen? Kies dan \"Terugbellen\"."
            : "Do you want us to call or e-mail you back? Choose \"Call me back\"."
    }

    static func callbackOption(_ language: Language) -> String { language == .nl ? "Terugbellen" : "Call me back" }

    static func callbackHow(_ language: Language) -> String {
        language == .nl
            ? "Vul uw naam en uw telefoonnummer of e-mailadres in.\nWij gebruiken dit alleen om u terug te bellen of te mailen."
            : "Fill in your name and your phone number or e-mail address.\nWe only use this to call or e-mail you back."
    }

    static func callbackThanks(_ language: Language) -> String {
        language == .nl
            ? "Dank u. Een medewerker van de bibliotheek neemt zo snel mogelijk contact met u op."
            : "Thank you. A library staff member will contact you as soon as possible."
    }

    static func nobodyInTime(_ language: Language) -> String {
        language == .nl
            ? "Sorry, er is nu niemand vrij om u te helpen."
            : "Sorry, nobody is free to help you right now."
    }

    static func backToBot(_ language: Language) -> String {
        language == .nl ? "U praat weer met de digitale hulp. Heeft u nog een vraag?" : "You are talking to the digital assistant again. Any other question?"
    }

    static func fieldLabel(_ name: String, _ language: Language) -> String {
        let nl = ["first_name": "Uw voornaam", "contact": "Uw telefoonnummer of e-mailadres", "location": "Uw bibliotheek", "language": "Taal",
                  "topic": "Onderwerp", "summary": "Uw vraag"]
        let en = ["first_name": "Your first name", "contact": "Your phone number or e-mail address", "location": "Your library",
                  "language": "Language", "topic": "Topic", "summary": "Your question"]
        return (language == .nl ? nl : en)[name] ?? name
    }

    static func consentText(_ partner: String, _ language: Language) -> String {
        language == .nl
            ? "Wilt u dat wij u aanmelden bij \(partner)?\nDan sturen wij alleen deze gegevens. Niets anders.\nU kiest zelf: ja of nee."
            : "Do you want us to sign you up with \(partner)?\nThen we send only these details. Nothing else.\nYou choose: yes or no."
    }

    static func consentGiven(_ partner: String, _ language: Language) -> String {
        language == .nl
            ? "Dank u. Wij sturen uw aanmelding naar \(partner).\n\(partner) neemt contact met u op."
            : "Thank you. We send your sign-up to \(partner).\n\(partner) will contact you."
    }

    static func consentDeclined(_ language: Language) -> String {
        language == .nl ? "Goed. Wij sturen niets door. Heeft u nog een vraag?" : "All right. We send nothing. Do you have another question?"
    }

    static func referralOption(_ partner: String, _ language: Language) -> String {
        language == .nl ? "Aanmelden bij \(partner)" : "Sign up with \(partner)"
    }

    static func contactOption(_ partner: String, _ language: Language) -> String {
        language == .nl ? "Hoe bereik ik \(partner)?" : "How do I reach \(partner)?"
    }

    /// Who a partner is, what they do and how to reach them: a referral without a webhook.
    static func contactCard(_ partner: Partner, _ language: Language) -> String {
        var lines = [partner.name]
        if let description = partner.descriptions[language] ?? partner.descriptions[.nl] { lines.append(description) }
        var reach: [String] = []
        if partner.url.hasPrefix("https://") {
            reach.append(language == .nl ? "Kijk op de website (de link staat hieronder)." : "Look at the website (the link is below).")
        }
        if let phone = partner.phone { reach.append(language == .nl ? "Bel \(phone)." : "Call \(phone).") }
        if reach.isEmpty {
            reach.append(
                language == .nl
                    ? "Vraag in de bibliotheek hoe u hen bereikt. Wij helpen u graag."
                    : "Ask in the library how to reach them. We are glad to help.")
        }
        lines += reach
        lines.append(
            language == .nl
                ? "Wij sturen uw gegevens niet door. U neemt zelf contact op."
                : "We do not pass on your details. You contact them yourself.")
        return lines.joined(separator: "\n")
    }

    static func referralDelivered(_ partner: String, _ language: Language) -> String {
        language == .nl ? "Uw aanmelding is aangekomen bij \(partner)." : "Your sign-up has reached \(partner)."
    }

    static func referralFailed(_ partner: String, _ language: Language) -> String {
        language == .nl
            ? "Het lukte niet om uw aanmelding naar \(partner) te sturen. Een medewerker van de bibliotheek kijkt ernaar."
            : "We could not send your sign-up to \(partner). A library staff member will look into it."
    }

    static func offerPerson(_ language: Language) -> String {
        language == .nl
            ? "Het lukt mij niet om u goed te helpen.\nWilt u met een medewerker praten? Of komt u naar het spreekuur?"
            : "I cannot help you well with this.\nDo you want to talk to a staff member? Or will you come to the walk-in hours?"
    }

    static func personOption(_ language: Language) -> String { language == .nl ? "Een medewerker spreken" : "Talk to a person" }

    static func helpfulThanks(_ language: Language) -> String {
        language == .nl ? "Fijn dat ik u kon helpen! Heeft u nog een vraag?" : "Glad I could help! Do you have another question?"
    }

    static func notHelpful(_ language: Language) -> String {
        language == .nl
            ? "Jammer dat dit niet hielp.\nWilt u met een medewerker praten? Of komt u naar het spreekuur?"
            : "Sorry this did not help.\nDo you want to talk to a staff member? Or will you come to the walk-in hours?"
    }

    static func goodbye(_ language: Language) -> String {
        language == .nl ? "Bedankt voor uw bezoek. Tot ziens!" : "Thank you for your visit. Goodbye!"
    }

    static func walkIn(_ location: Location, _ language: Language) -> String {
        let hours = location.walkIn.isEmpty ? location.openingHours : location.walkIn
        let days = [2, 3, 4, 5, 6, 7, 1].compactMap { day -> String? in
            guard let intervals = hours.days[day], !intervals.isEmpty else { return nil }
            return "\(BranchText.dayName(day, language)) \(intervals.map(\.description).joined(separator: ", "))"
        }
        let title = location.walkIn.isEmpty
            ? (language == .nl ? "Openingstijden" : "Opening hours")
            : (language == .nl ? "Spreekuur digitale overheid" : "Walk-in hours for digital government")
        var text = "\(title) — \(location.name), \(location.address):\n" + days.joined(separator: "\n")
        if !location.confirmed {
            text += language == .nl ? "\n(Kijk voor de zekerheid op de website van de bibliotheek.)" : "\n(Please check the library website to be sure.)"
        }
        return text
    }

    static func walkInOption(_ language: Language) -> String {
        language == .nl ? "Hulp in de bibliotheek: tijden" : "Help at the library: times"
    }

    static func chooseLocation(_ language: Language) -> String {
        language == .nl
            ? "Het spreekuur is in veel bibliotheken in de Kop van Noord-Holland. Hier zijn de grootste:"
            : "There are walk-in hours in many libraries in the region. Here are the largest:"
    }
}
