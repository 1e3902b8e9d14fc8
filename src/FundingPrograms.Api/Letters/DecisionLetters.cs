using FundingPrograms.Applications;
using FundingPrograms.Grants;
using FundingPrograms.Payments;
using FundingPrograms.Programmes;
using FundingPrograms.Proofs;
using FundingPrograms.Recovery;

namespace FundingPrograms.Letters;

/// <summary>
/// The letters of the decisions after the application: early-start approval, drawdown refusal, hearing, revocation and final
/// notice. German binding; reading copies in English where the programme has an English text and in the organisation's language
/// (<see cref="Languages"/>). Each is
/// mapped from the decision's events; every one that is a Verwaltungsakt ends with the Rechtsbehelfsbelehrung naming the
/// programme's administrative court; the hearing letter (§ 28 VwVfG NRW) is not one and has none.
/// </summary>
public static class DecisionLetters
{
    /// <summary>German always; English as a reading copy where the programme has an English name; the organisation's chosen language.</summary>
    public static string[] Languages(Programme? programme, string? organisationLanguage = null) =>
        LetterText.Languages(programme?.Definition.Name.ContainsKey("en") == true, organisationLanguage);

    private static LetterDocument Letter(string kind, string lang, string title, string subject, LetterContext ctx, DateTimeOffset at, string? grantNumber,
        string[] decision, List<LetterSection> sections, string signer) =>
        new(kind, lang, lang == "de", ctx.Letterhead.ToLetterhead(), ctx.Addressee, LetterText.PlaceAndDate(ctx.Letterhead, at, lang),
            LetterText.References(ctx, lang, grantNumber), subject, LetterText.Salutation(lang), decision, sections.ToArray(), LetterText.Closing(lang),
            signer, LetterText.T(lang, "Bewilligungsstelle", "Granting authority"), LetterText.ReadingCopy(lang),
            $"{title} · {LetterText.T(lang, "Seite", "Page")}", title, LetterText.OnBehalf(lang));

    private static string Numbered(int i, string heading) => $"{i}. {heading}";

    /// <summary>Zustimmung zum vorzeitigen Maßnahmebeginn (VV Nr. 1.3 zu § 44 LHO).</summary>
    public static LetterDocument EarlyStart(ApplicationEarlyStartApproved e, Application application, Programme? programme, LetterContext ctx, string lang = "de")
    {
        string T(string de, LetterTextHandler en) => LetterText.T(lang, de, en);
        string D(DateOnly d) => LetterText.Date(d, lang);
        var title = T($"Zustimmung zum vorzeitigen Maßnahmebeginn {ctx.FileReference}", $"Approval of an early start {ctx.FileReference}");
        var project = LetterText.Quote(application.Content.Title ?? "", lang);
        var programmeName = LetterText.Quote(programme?.Definition.Name.In(lang) ?? "", lang);
        return Letter("early_start_approval", lang, title, $"{title} — {T("Vorhaben", "project")} {project}", ctx, e.At, null,
        [
            T($"Für das Vorhaben {project} im Förderprogramm {programmeName} stimme ich dem vorzeitigen Maßnahmebeginn ab dem {D(e.From)} zu.",
                $"For the project {project} under the programme {programmeName} I approve an early start from {D(e.From)}."),
            T(ApproveEarlyStartEndpoint.NoPromise,
                "The approval of an early start gives no entitlement to a grant (VV no. 1.3 on section 44 LHO); the applicant bears the risk."),
        ],
        [
            LetterSection.Text("conditions", Numbered(1, T("Hinweise", "Notes")),
                T("Mit dieser Zustimmung dürfen Sie ab dem genannten Tag Verträge schließen, die der Ausführung des Vorhabens zuzurechnen sind, ohne dass dies einer späteren Förderung entgegensteht. "
                    + "Über den Antrag und die Höhe einer Zuwendung wird erst mit dem Zuwendungsbescheid entschieden; Ausgaben vor dem genannten Tag sind nicht zuwendungsfähig.",
                    "With this approval you may, from the day named, conclude contracts attributable to carrying out the project without this precluding later funding. "
                    + "The application and the amount of any grant are decided only by the grant notice; expenditure before the day named is not eligible.")),
            LetterSection.Text("reasons", Numbered(2, T("Begründung", "Reasons")), T("Rechtsgrundlage: VV Nr. 1.3 zu § 44 LHO NRW.", "Legal basis: VV no. 1.3 on section 44 LHO NRW."),
                T($"Gründe: {e.Reason}", $"Grounds (Gründe): {e.Reason}")),
            LetterText.LegalRemedy(programme, ctx.SeatDistrict, lang, "3."),
        ], e.OfficerName);
    }

    /// <summary>Ablehnung eines Mittelabrufs (ANBest-P Nr. 1.4).</summary>
    public static LetterDocument DrawdownRefusal(PaymentRefused e, Payment payment, Grant grant, Programme? programme, LetterContext ctx, string lang = "de")
    {
        string T(string de, LetterTextHandler en) => LetterText.T(lang, de, en);
        string M(decimal m) => LetterText.Money(m, lang);
        string D(DateOnly d) => LetterText.Date(d, lang);
        var title = T($"Ablehnung des Mittelabrufs zum Zuwendungsbescheid {grant.Notice.Reference}", $"Refusal of a drawdown request under grant notice {grant.Notice.Reference}");
        var purpose = LetterText.Quote(payment.Purpose, lang);
        return Letter("drawdown_refusal", lang, title, $"{title} — {T("Vorhaben", "project")} {LetterText.Quote(grant.Notice.ProjectTitle, lang)}", ctx, e.At, grant.Notice.Reference,
        [
            T($"Ihren Mittelabruf vom {D(BerlinTime.Today(payment.RequestedAt))} über {M(payment.Amount)} ({purpose}, benötigt zum {D(payment.NeededOn)}) zum Zuwendungsbescheid {grant.Notice.Reference} lehne ich ab; der Betrag wird nicht ausgezahlt.",
                $"Your drawdown request of {D(BerlinTime.Today(payment.RequestedAt))} for {M(payment.Amount)} ({purpose}, needed by {D(payment.NeededOn)}) under grant notice {grant.Notice.Reference} is refused; the amount will not be paid."),
        ],
        [
            LetterSection.Text("reasons", Numbered(1, T("Begründung", "Reasons")),
                T("Zuwendungen dürfen nur angefordert werden, soweit sie innerhalb von zwei Monaten nach der Auszahlung für fällige Zahlungen benötigt werden; bei Anteilfinanzierung nur anteilig (Nr. 1.4 ANBest-P).",
                    "Grant money may only be requested insofar as it is needed for payments due within two months of its payment; with share financing only in proportion (ANBest-P no. 1.4)."),
                T($"Gründe: {e.Reason}", $"Grounds (Gründe): {e.Reason}"),
                T("Der Betrag steht Ihnen im Rahmen des Zuwendungsbescheides für einen erneuten Mittelabruf wieder zur Verfügung.",
                    "The amount remains available to you under the grant notice for a new drawdown request.")),
            LetterText.LegalRemedy(programme, ctx.SeatDistrict, lang, "2."),
        ], e.RefusedByName);
    }

    /// <summary>Anhörung vor einem Widerruf (§ 28 Abs. 1 VwVfG NRW): not a Verwaltungsakt, so no Rechtsbehelfsbelehrung.</summary>
    public static LetterDocument Hearing(HearingLetterSent e, Grant grant, LetterContext ctx, string lang = "de")
    {
        string T(string de, LetterTextHandler en) => LetterText.T(lang, de, en);
        string D(DateOnly d) => LetterText.Date(d, lang);
        var title = T($"Anhörung zum Zuwendungsbescheid {grant.Notice.Reference}", $"Hearing on grant notice {grant.Notice.Reference}");
        var project = LetterText.Quote(grant.Notice.ProjectTitle, lang);
        var facts = grant.Revocation.Facts.Select(f => T($"{f.Facts} (bekannt seit {D(f.LearnedOn)})", $"{f.Facts} (known since {D(f.LearnedOn)})")).ToArray();
        return Letter("hearing_letter", lang, title, $"{title} — {T("Vorhaben", "project")} {project}", ctx, e.At, grant.Notice.Reference,
        [
            T($"Ich beabsichtige, in Bezug auf meinen Zuwendungsbescheid {grant.Notice.Reference} über {LetterText.Money(grant.Notice.GrantedAmount, lang)} für das Vorhaben {project} eine Entscheidung zu treffen, die in Ihre Rechte eingreift. Vorher gebe ich Ihnen nach § 28 Abs. 1 VwVfG NRW Gelegenheit, sich zu den für die Entscheidung erheblichen Tatsachen zu äußern.",
                $"I intend to take a decision on my grant notice {grant.Notice.Reference} for {LetterText.Money(grant.Notice.GrantedAmount, lang)} for the project {project} that affects your rights. Before doing so I give you the opportunity under section 28 (1) VwVfG NRW to comment on the facts relevant to the decision."),
            e.Text,
        ],
        [
            new LetterSection("facts", Numbered(1, T("Sachverhalt", "Facts")), facts.Length > 0 ? facts : ["—"], []),
            LetterSection.Text("reply", Numbered(2, T("Ihre Äußerung", "Your reply")),
                T($"Sie können sich bis zum {D(e.ReplyDueOn)} schriftlich oder elektronisch äußern. Geht bis dahin keine Äußerung ein, entscheide ich nach Aktenlage.",
                    $"You may reply in writing or electronically by {D(e.ReplyDueOn)}. If no reply is received by then, I will decide on the basis of the file."),
                T("Dieses Schreiben ist eine Anhörung und noch keine Entscheidung.", "This letter is a hearing and not yet a decision.")),
        ], e.ByName);
    }

    /// <summary>Widerrufs- (und Rückforderungs-)bescheid (§§ 48, 49, 49a VwVfG NRW).</summary>
    public static LetterDocument Revocation(GrantRevoked r, Grant grant, RecoveryClaimRaised? claim, Programme? programme, LetterContext ctx, string lang = "de")
    {
        string T(string de, LetterTextHandler en) => LetterText.T(lang, de, en);
        string M(decimal m) => LetterText.Money(m, lang);
        string D(DateOnly d) => LetterText.Date(d, lang);
        var recovers = r.RecoveryAmount > 0;
        var name = recovers ? T("Widerrufs- und Rückforderungsbescheid", "Notice of revocation and recovery") : T("Widerrufsbescheid", "Notice of revocation");
        var title = T($"{name} zum Zuwendungsbescheid {grant.Notice.Reference}", $"{name} of grant notice {grant.Notice.Reference}");
        var project = LetterText.Quote(grant.Notice.ProjectTitle, lang);
        var issuedOn = BerlinTime.Today(grant.Notices[0].IssuedAt);
        var whole = r.Scope == RevocationScope.Whole;
        var decision = new List<string>
        {
            T($"1. Meinen Zuwendungsbescheid {grant.Notice.Reference} vom {D(issuedOn)} für das Vorhaben {project} widerrufe ich mit Wirkung vom {D(r.EffectiveFrom)} {(whole ? "ganz" : "teilweise")}; die Zuwendung wird von {M(r.PreviousAmount)} auf {M(r.NewAmount)} festgesetzt.",
                $"1. I revoke my grant notice {grant.Notice.Reference} of {D(issuedOn)} for the project {project} {(whole ? T("ganz", "in whole") : T("teilweise", "in part"))} with effect from {D(r.EffectiveFrom)}; the grant is fixed at {M(r.NewAmount)} instead of {M(r.PreviousAmount)}."),
        };
        if (recovers)
        {
            var reference = claim is null ? null : Infrastructure.References.Grouped(claim.Reference);
            decision.Add(claim is null
                ? T($"2. Der überzahlte Betrag von {M(r.RecoveryAmount)} ist nach § 49a Abs. 1 VwVfG NRW zu erstatten.",
                    $"2. The overpaid amount of {M(r.RecoveryAmount)} is to be repaid under section 49a (1) VwVfG NRW.")
                : T($"2. Der überzahlte Betrag von {M(r.RecoveryAmount)} ist nach § 49a Abs. 1 VwVfG NRW zu erstatten, fällig am {D(claim.DueOn)}, unter Angabe des Kassenzeichens {reference}; die Zahlungsaufforderung mit den Kontoangaben erhalten Sie gesondert.",
                    $"2. The overpaid amount of {M(r.RecoveryAmount)} is to be repaid under section 49a (1) VwVfG NRW, due on {D(claim.DueOn)}, giving the payment reference {reference}; you will receive the payment demand with the account details separately."));
            decision.Add(T($"3. {RevocationNotice.Interest}",
                "3. Under section 49a (3) VwVfG NRW the amount to be repaid bears interest at five percentage points above the base rate (section 247 BGB) a year from the day the grant notice became ineffective (for each payment not before the day it was paid) until the day the payment is received."));
        }
        var hearing = grant.Revocation.Hearings.LastOrDefault() is { } h
            ? h.ReplyReceivedOn is { } received
                ? T($"Sie wurden mit Schreiben vom {D(BerlinTime.Today(h.At))} angehört und haben sich am {D(received)} geäußert: {h.ReplySummary}",
                    $"You were heard by letter of {D(BerlinTime.Today(h.At))} and replied on {D(received)}: {h.ReplySummary}")
                : T($"Sie wurden mit Schreiben vom {D(BerlinTime.Today(h.At))} angehört; bis zum {D(h.ReplyDueOn)} ist keine Äußerung eingegangen.",
                    $"You were heard by letter of {D(BerlinTime.Today(h.At))}; no reply was received by {D(h.ReplyDueOn)}.")
            : T("Von einer Anhörung wurde nach § 28 Abs. 2 VwVfG NRW abgesehen.", "No hearing was held (section 28 (2) VwVfG NRW).");
        var years = new LetterTable(T("Zuwendung nach Haushaltsjahren", "Grant by budget year"), [T("Haushaltsjahr", "Budget year"), T("Betrag", "Amount")],
            r.Notice.YearSplit.Select(y => new[] { y.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), M(y.Amount) }).ToArray(), true, [1]);
        return Letter("revocation_notice", lang, title, $"{title} — {T("Vorhaben", "project")} {project}", ctx, r.At, grant.Notice.Reference, decision.ToArray(),
        [
            new LetterSection("terms", Numbered(1, T("Festsetzung", "Amounts")),
                [T($"Bisher bewilligt: {M(r.PreviousAmount)}; neu festgesetzt: {M(r.NewAmount)}; ausgezahlt: {M(r.Paid)}; zu erstatten: {M(r.RecoveryAmount)}.",
                    $"Granted so far: {M(r.PreviousAmount)}; newly fixed: {M(r.NewAmount)}; paid: {M(r.Paid)}; to be repaid: {M(r.RecoveryAmount)}.")], [years]),
            LetterSection.Text("reasons", Numbered(2, T("Begründung", "Reasons")),
                T($"Rechtsgrundlage: {r.LegalBasis}.", $"Legal basis (Rechtsgrundlage): {r.LegalBasis}."), r.Reasons, hearing,
                T("Die Jahresfrist des § 48 Abs. 4 VwVfG NRW ist gewahrt. Bei der Ermessensausübung habe ich das öffentliche Interesse an der wirtschaftlichen und sparsamen Verwendung der Haushaltsmittel gegen Ihr Interesse am Behalten der Zuwendung abgewogen.",
                    "The one-year period of section 48 (4) VwVfG NRW is observed. In exercising my discretion I weighed the public interest in the economical and efficient use of budget funds against your interest in keeping the grant.")),
            LetterText.LegalRemedy(programme, ctx.SeatDistrict, lang, "3."),
        ], r.ApprovedByName);
    }

    /// <summary>Schlussbescheid nach Prüfung des Verwendungsnachweises (VV Nr. 11 zu § 44 LHO).</summary>
    public static LetterDocument FinalNotice(FinalNoticeIssued i, Grant grant, Programme? programme, LetterContext ctx, string lang = "de")
    {
        string T(string de, LetterTextHandler en) => LetterText.T(lang, de, en);
        string M(decimal m) => LetterText.Money(m, lang);
        var title = T($"Schlussbescheid zum Zuwendungsbescheid {grant.Notice.Reference}", $"Final notice on grant notice {grant.Notice.Reference}");
        var project = LetterText.Quote(grant.Notice.ProjectTitle, lang);
        var decision = new List<string>
        {
            T($"Nach Prüfung Ihres Verwendungsnachweises setze ich die Zuwendung für das Vorhaben {project} (Zuwendungsbescheid {grant.Notice.Reference}) endgültig auf {M(i.FinalAmount)} fest.",
                $"Having examined your proof of use, I fix the grant for the project {project} (grant notice {grant.Notice.Reference}) finally at {M(i.FinalAmount)}."),
        };
        if (i.ToRecover > 0)
            decision.Add(T($"Ausgezahlt wurden {M(i.Paid)}. Der überzahlte Betrag von {M(i.ToRecover)} ist nach § 49a Abs. 1 VwVfG NRW zu erstatten; die Zahlungsaufforderung mit dem Kassenzeichen erhalten Sie gesondert.",
                $"{M(i.Paid)} was paid. The overpaid amount of {M(i.ToRecover)} is to be repaid under section 49a (1) VwVfG NRW; you will receive the payment demand with the payment reference separately."));
        else if (i.ToPay > 0)
            decision.Add(T($"Ausgezahlt wurden {M(i.Paid)}. Der Restbetrag von {M(i.ToPay)} wird Ihnen ausgezahlt.", $"{M(i.Paid)} was paid. The remaining {M(i.ToPay)} will be paid to you."));
        else
            decision.Add(T($"Ausgezahlt wurden {M(i.Paid)}; die Zuwendung ist ausgeglichen.", $"{M(i.Paid)} was paid; the grant is settled."));
        var figures = new LetterTable(T("Ergebnis der Prüfung", "Result of the examination"), [T("Angabe", "Item"), T("Betrag", "Amount")],
        [
            [T("Nachgewiesene Ausgaben", "Expenditure proved"), M(i.ProvedCosts)], [T("Anerkannte zuwendungsfähige Ausgaben", "Eligible expenditure recognised"), M(i.RecognisedCosts)],
            [T("Festgesetzte Zuwendung", "Grant fixed"), M(i.FinalAmount)], [T("Ausgezahlt", "Paid"), M(i.Paid)], [T("Zu erstatten", "To be repaid"), M(i.ToRecover)],
            [T("Noch auszuzahlen", "Still to be paid"), M(i.ToPay)],
        ], true, [1]);
        return Letter("final_notice", lang, title, $"{title} — {T("Vorhaben", "project")} {project}", ctx, i.At, grant.Notice.Reference, decision.ToArray(),
        [
            new LetterSection("terms", Numbered(1, T("Festsetzung", "Amounts")),
                [T($"Der Verwendungsnachweis wurde am {LetterText.Date(i.ExaminedOn, lang)} geprüft ({i.ProposedBy}).", $"The proof of use was examined on {LetterText.Date(i.ExaminedOn, lang)} ({i.ProposedBy}).")], [figures]),
            LetterSection.Text("reasons", Numbered(2, T("Begründung", "Reasons")),
                T("Die Zuwendung wird nach dem Ergebnis der Prüfung des Verwendungsnachweises (VV Nr. 11 zu § 44 LHO NRW, ANBest-P Nr. 6) auf der Grundlage der anerkannten zuwendungsfähigen Ausgaben und der Finanzierungsart des Zuwendungsbescheides festgesetzt.",
                    "The grant is fixed on the result of the examination of the proof of use (VV no. 11 on section 44 LHO NRW, ANBest-P no. 6) on the basis of the eligible expenditure recognised and the financing type of the grant notice."),
                T("Die Unterlagen zum Vorhaben sind fünf Jahre nach Vorlage des Verwendungsnachweises aufzubewahren (ANBest-P Nr. 6.9).",
                    "The project's records are to be kept for five years after the proof of use was submitted (ANBest-P no. 6.9).")),
            LetterText.LegalRemedy(programme, ctx.SeatDistrict, lang, "3."),
        ], i.ApprovedBy);
    }
}
