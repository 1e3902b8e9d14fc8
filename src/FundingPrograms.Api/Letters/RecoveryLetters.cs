using FundingPrograms.Grants;
using FundingPrograms.Payments;
using FundingPrograms.Programmes;
using FundingPrograms.Recovery;

namespace FundingPrograms.Letters;

/// <summary>
/// The letters of a recovery claim, each mapped from the claim's events: the payment demand (Leistungsbescheid and/or
/// Zahlungsaufforderung) when the claim is raised, the reminders (Mahnungen), and the confirmations of a deferral
/// (Stundung), an instalment plan (Ratenzahlung) and a waiver (Niederschlagung or Erlass). German binding; reading copies in
/// English where the programme has an English text and in the organisation's chosen language.
/// <para>Where the letter decides something (a claim raised by hand or for § 49a (4) interest, a deferral, instalments, a
/// remission) it ends with the Rechtsbehelfsbelehrung; a payment demand for an amount a revocation or final notice already
/// fixed, a reminder and a suspension (an internal measure) decide nothing and have none.</para>
/// </summary>
public static class RecoveryLetters
{
    private static LetterDocument Letter(string kind, string lang, string title, string subject, LetterContext ctx, DateTimeOffset at, RecoveryClaim claim,
        string[] decision, List<LetterSection> sections, string signer, string role, string? onBehalf)
    {
        string T(string de, LetterTextHandler en) => LetterText.T(lang, de, en);
        return new(kind, lang, lang == "de", ctx.Letterhead.ToLetterhead(), ctx.Addressee, LetterText.PlaceAndDate(ctx.Letterhead, at, lang),
            LetterText.References(ctx, lang, claim.GrantReference, T("Kassenzeichen", "Payment reference (Kassenzeichen)"), References.Grouped(claim.Reference)),
            subject, LetterText.Salutation(lang), decision, sections.ToArray(), LetterText.Closing(lang), signer, role, LetterText.ReadingCopy(lang),
            $"{title} · {T("Seite", "Page")}", title, onBehalf);
    }

    /// <summary>German always; English as a reading copy where the programme has an English name; the organisation's chosen language.</summary>
    public static string[] Languages(Programme? programme, string? organisationLanguage = null) =>
        LetterText.Languages(programme?.Definition.Name.ContainsKey("en") == true, organisationLanguage);

    /// <summary>Whether the payment demand decides the claim (a Leistungsbescheid): not when a revocation or final notice fixed the amount already.</summary>
    public static bool Decides(ClaimBasis basis) => basis is ClaimBasis.Manual or ClaimBasis.IdleMoneyInterest;

    /// <summary>The account to pay to, the reference to give and the due date, as a table.</summary>
    private static LetterTable PaymentDetails(RecoveryClaim claim, decimal amount, DateOnly dueOn, PayingAuthority account, string lang)
    {
        string T(string de, LetterTextHandler en) => LetterText.T(lang, de, en);
        var rows = new List<string[]>
        {
            new[] { T("Betrag", "Amount"), LetterText.Money(amount, lang) },
            new[] { T("Fällig am (Eingang)", "Due on (received by)"), LetterText.Date(dueOn, lang) },
            new[] { T("Kontoinhaber (Empfänger)", "Account holder (payee)"), account.Name },
            new[] { "IBAN", string.Join(' ', Iban.Normalize(account.Iban).Chunk(4).Select(c => new string(c))) },
        };
        if (!string.IsNullOrWhiteSpace(account.Bic)) rows.Add(["BIC", account.Bic!]);
        rows.Add([T("Verwendungszweck (bitte nur das Kassenzeichen)", "Remittance text (the payment reference only)"), References.Grouped(claim.Reference)]);
        return new LetterTable(T("Zahlungsangaben", "Payment details"), [T("Angabe", "Item"), T("Wert", "Value")], rows.ToArray(), true, []);
    }

    private static string InterestClause(string lang) => LetterText.T(lang, RevocationNotice.Interest,
        "Under section 49a (3) VwVfG NRW the amount to be repaid bears interest at five percentage points above the base rate (section 247 BGB) "
        + "a year from the day the grant notice became ineffective (for each payment not before the day it was paid) until the day the payment is received.");

    private static LetterSection IfNotPaid(string lang, string number, DateOnly dueOn) => LetterSection.Text("ifNotPaid",
        LetterText.T(lang, $"{number} Wenn die Zahlung nicht eingeht", $"{number} If the payment does not arrive"),
        LetterText.T(lang,
            $"Geht der Betrag nicht bis zum {LetterText.Date(dueOn, lang)} auf dem genannten Konto ein, werden Sie gemahnt; danach wird die Forderung nach dem Verwaltungsvollstreckungsgesetz NRW (VwVG NRW) zwangsweise beigetrieben. Die Zinsen nach § 49a Abs. 3 VwVfG NRW laufen bis zum Tag des Zahlungseingangs weiter.",
            $"If the amount has not been received in the account named by {LetterText.Date(dueOn, lang)}, you will receive a reminder; the claim will then be enforced under the Administrative Enforcement Act of North Rhine-Westphalia (VwVG NRW). Interest under section 49a (3) VwVfG NRW continues to run until the day the payment is received."),
        LetterText.T(lang,
            "Können Sie den Betrag nicht fristgerecht zahlen, können Sie vor dem Fälligkeitstag eine Stundung oder Ratenzahlung beantragen (§ 59 LHO NRW). Bitte geben Sie bei jeder Zahlung das Kassenzeichen an; nur so kann die Zahlung Ihrer Forderung zugeordnet werden.",
            "If you cannot pay the amount in time, you may apply for a deferral or for instalments before the due date (section 59 LHO NRW). Please give the payment reference (Kassenzeichen) with every payment; only then can it be matched to this claim."));

    private static string Basis(ClaimBasis basis, DateOnly on, string lang) => basis switch
    {
        ClaimBasis.Revocation => LetterText.T(lang, $"meinem Widerrufs- und Rückforderungsbescheid vom {LetterText.Date(on, lang)}", $"my notice of revocation and recovery of {LetterText.Date(on, lang)}"),
        ClaimBasis.ProofOfUse => LetterText.T(lang, $"meinem Schlussbescheid vom {LetterText.Date(on, lang)}", $"my final notice of {LetterText.Date(on, lang)}"),
        _ => "",
    };

    /// <summary>Leistungsbescheid und Zahlungsaufforderung (or only Zahlungsaufforderung where a notice fixed the amount): one per claim.</summary>
    public static LetterDocument PaymentDemand(RecoveryClaim claim, Grant grant, PayingAuthority account, Programme? programme, LetterContext ctx, string lang)
    {
        string T(string de, LetterTextHandler en) => LetterText.T(lang, de, en);
        string M(decimal m) => LetterText.Money(m, lang);
        string D(DateOnly d) => LetterText.Date(d, lang);
        var decides = Decides(claim.Basis);
        var interestOnly = claim.Basis == ClaimBasis.IdleMoneyInterest;
        var name = decides ? T("Leistungsbescheid und Zahlungsaufforderung", "Recovery notice and payment demand") : T("Zahlungsaufforderung", "Payment demand");
        var title = T($"{name} zum Zuwendungsbescheid {claim.GrantReference}", $"{name} for grant notice {claim.GrantReference}");
        var subject = $"{title} — {T("Kassenzeichen", "payment reference")} {References.Grouped(claim.Reference)}";
        var raisedOn = BerlinTime.Today(claim.RaisedAt);
        var project = LetterText.Quote(grant.Notice.ProjectTitle, lang);
        var total = claim.Debt;
        var decision = new List<string>();
        if (interestOnly)
        {
            decision.Add(T($"1. Für die Zuwendung für das Vorhaben {project} (Zuwendungsbescheid {claim.GrantReference}) setze ich Zinsen nach § 49a Abs. 4 VwVfG NRW in Höhe von {M(claim.FixedInterest)} fest.",
                $"1. For the grant for the project {project} (grant notice {claim.GrantReference}) I fix interest under section 49a (4) VwVfG NRW of {M(claim.FixedInterest)}."));
            decision.Add(T($"2. Der Betrag ist bis zum {D(claim.DueOn)} unter Angabe des Kassenzeichens {References.Grouped(claim.Reference)} zu zahlen.",
                $"2. The amount is to be paid by {D(claim.DueOn)}, giving the payment reference {References.Grouped(claim.Reference)}."));
        }
        else if (decides)
        {
            decision.Add(claim.Costs > 0
                ? T($"1. Für die Zuwendung für das Vorhaben {project} (Zuwendungsbescheid {claim.GrantReference}) setze ich den von Ihnen nach § 49a Abs. 1 VwVfG NRW zu erstattenden Betrag auf {M(claim.Principal)} fest; hinzu kommen Kosten von {M(claim.Costs)}.",
                    $"1. For the grant for the project {project} (grant notice {claim.GrantReference}) I fix the amount you are to repay under section 49a (1) VwVfG NRW at {M(claim.Principal)}; costs of {M(claim.Costs)} are added.")
                : T($"1. Für die Zuwendung für das Vorhaben {project} (Zuwendungsbescheid {claim.GrantReference}) setze ich den von Ihnen nach § 49a Abs. 1 VwVfG NRW zu erstattenden Betrag auf {M(claim.Principal)} fest.",
                    $"1. For the grant for the project {project} (grant notice {claim.GrantReference}) I fix the amount you are to repay under section 49a (1) VwVfG NRW at {M(claim.Principal)}."));
            decision.Add(T($"2. Der Betrag von {M(total)} ist bis zum {D(claim.DueOn)} unter Angabe des Kassenzeichens {References.Grouped(claim.Reference)} zu zahlen.",
                $"2. The amount of {M(total)} is to be paid by {D(claim.DueOn)}, giving the payment reference {References.Grouped(claim.Reference)}."));
            decision.Add($"3. {InterestClause(lang)}");
        }
        else
        {
            decision.Add(T($"Mit {Basis(claim.Basis, raisedOn, lang)} habe ich den von Ihnen zur Zuwendung für das Vorhaben {project} (Zuwendungsbescheid {claim.GrantReference}) zu erstattenden Betrag festgesetzt.",
                $"With {Basis(claim.Basis, raisedOn, lang)} I fixed the amount you are to repay for the grant for the project {project} (grant notice {claim.GrantReference})."));
            decision.Add(T($"Ich fordere Sie auf, {M(total)} bis zum {D(claim.DueOn)} unter Angabe des Kassenzeichens {References.Grouped(claim.Reference)} auf das unten genannte Konto zu zahlen.",
                $"Please pay {M(total)} into the account below by {D(claim.DueOn)}, giving the payment reference {References.Grouped(claim.Reference)}."));
            decision.Add(InterestClause(lang));
        }
        var amounts = new List<string[]>();
        if (claim.Principal > 0) amounts.Add([T("Hauptforderung (zu erstattende Zuwendung)", "Principal (grant to be repaid)"), M(claim.Principal)]);
        if (claim.Costs > 0) amounts.Add([T("Kosten", "Costs"), M(claim.Costs)]);
        if (claim.FixedInterest > 0) amounts.Add([T("Zinsen nach § 49a Abs. 4 VwVfG NRW", "Interest under section 49a (4) VwVfG NRW"), M(claim.FixedInterest)]);
        amounts.Add([T("Zu zahlen", "To be paid"), M(total)]);
        var sections = new List<LetterSection>
        {
            new("payment", T("1. Zahlung", "1. Payment"),
            [
                interestOnly
                    ? T("Die Zinsen sind als fester Betrag festgesetzt; sie erhöhen sich nicht weiter.", "The interest is fixed as an amount; it does not increase further.")
                    : T("Zu dem Betrag kommen die Zinsen nach § 49a Abs. 3 VwVfG NRW bis zum Tag des Zahlungseingangs; ihre Berechnung wird Ihnen auf Anfrage und mit jeder Mahnung mitgeteilt.",
                        "Interest under section 49a (3) VwVfG NRW is added up to the day the payment is received; its calculation is available on request and is stated in every reminder."),
            ], [new LetterTable(T("Forderung", "Claim"), [T("Angabe", "Item"), T("Betrag", "Amount")], amounts.ToArray(), true, [1]), PaymentDetails(claim, total, claim.DueOn, account, lang)]),
            IfNotPaid(lang, "2.", claim.DueOn),
        };
        if (decides)
        {
            sections.Add(LetterSection.Text("reasons", T("3. Begründung", "3. Reasons"),
                interestOnly
                    ? T("Rechtsgrundlage: § 49a Abs. 4 VwVfG NRW, Nr. 1.4 und 8.5 ANBest-P. Werden ausgezahlte Mittel nicht alsbald nach der Auszahlung zur Erfüllung des Zuwendungszwecks verwendet, können für die Zeit bis zur zweckentsprechenden Verwendung Zinsen verlangt werden.",
                        "Legal basis: section 49a (4) VwVfG NRW, ANBest-P nos. 1.4 and 8.5. Where funds paid out are not used for the purpose of the grant soon after payment, interest may be charged for the period until they are used as intended.")
                    : T("Rechtsgrundlage: § 49a Abs. 1 VwVfG NRW. Soweit ein Verwaltungsakt mit Wirkung für die Vergangenheit zurückgenommen oder widerrufen worden oder unwirksam geworden ist, sind bereits erbrachte Leistungen zu erstatten; die zu erstattende Leistung ist durch schriftlichen Verwaltungsakt festzusetzen.",
                        "Legal basis: section 49a (1) VwVfG NRW. Where an administrative act has been withdrawn or revoked with effect for the past or has become ineffective, benefits already provided are to be repaid; the amount is to be fixed by written administrative act."),
                T($"Gründe: {claim.Reason}", $"Grounds (Gründe): {claim.Reason}")));
            sections.Add(LetterText.LegalRemedy(programme, ctx.SeatDistrict, lang, "4."));
        }
        return Letter("payment_demand", lang, title, subject, ctx, claim.RaisedAt, claim, decision.ToArray(), sections, claim.RaisedByName,
            T("Haushalt und Kasse", "Budget and payments"), LetterText.OnBehalf(lang));
    }

    /// <summary>Stundungsbescheid (§ 59 Abs. 1 Nr. 1 LHO NRW): a new due date; interest continues.</summary>
    public static LetterDocument Deferral(RecoveryClaim claim, RecoveryClaimDeferred e, PayingAuthority account, Programme? programme, LetterContext ctx, string lang)
    {
        string T(string de, LetterTextHandler en) => LetterText.T(lang, de, en);
        string D(DateOnly d) => LetterText.Date(d, lang);
        var title = T($"Stundungsbescheid zum Kassenzeichen {References.Grouped(claim.Reference)}", $"Deferral notice for payment reference {References.Grouped(claim.Reference)}");
        var open = Math.Max(0, claim.Debt - claim.Received);
        return Letter("deferral_notice", lang, title, $"{title} — {T("Zuwendungsbescheid", "grant notice")} {claim.GrantReference}", ctx, e.At, claim,
        [
            T($"1. Die Forderung mit dem Kassenzeichen {References.Grouped(claim.Reference)} (fällig am {D(e.PreviousDueOn)}) stunde ich bis zum {D(e.NewDueOn)}.",
                $"1. I defer the claim with the payment reference {References.Grouped(claim.Reference)} (due on {D(e.PreviousDueOn)}) until {D(e.NewDueOn)}."),
            T($"2. Offen sind derzeit {LetterText.Money(open, lang)} zuzüglich der Zinsen nach § 49a Abs. 3 VwVfG NRW; die Zinsen laufen während der Stundung weiter.",
                $"2. Currently outstanding: {LetterText.Money(open, lang)} plus interest under section 49a (3) VwVfG NRW; interest continues to run during the deferral."),
        ],
        [
            new LetterSection("payment", T("1. Zahlung", "1. Payment"), [T("Bitte zahlen Sie bis zum neuen Fälligkeitstag auf das folgende Konto.", "Please pay by the new due date into the following account.")],
                [PaymentDetails(claim, open, e.NewDueOn, account, lang)]),
            LetterSection.Text("reasons", T("2. Begründung", "2. Reasons"),
                T("Rechtsgrundlage: § 59 Abs. 1 Satz 1 Nr. 1 LHO NRW. Die sofortige Einziehung wäre mit erheblichen Härten für Sie verbunden; der Anspruch wird durch die Stundung nicht gefährdet.",
                    "Legal basis: section 59 (1) sentence 1 no. 1 LHO NRW. Immediate collection would cause you considerable hardship; the claim is not endangered by the deferral."),
                T($"Gründe: {e.Reason}", $"Grounds (Gründe): {e.Reason}"),
                T("Geht der Betrag nicht bis zum neuen Fälligkeitstag ein, werden Sie gemahnt.", "If the amount is not received by the new due date, you will receive a reminder.")),
            LetterText.LegalRemedy(programme, ctx.SeatDistrict, lang, "3."),
        ], e.ByName, T("Haushalt und Kasse", "Budget and payments"), LetterText.OnBehalf(lang));
    }

    /// <summary>Ratenzahlungsbescheid (a form of Stundung): the instalments with their due dates; interest continues.</summary>
    public static LetterDocument Instalments(RecoveryClaim claim, RecoveryInstalmentsAgreed e, PayingAuthority account, Programme? programme, LetterContext ctx, string lang)
    {
        string T(string de, LetterTextHandler en) => LetterText.T(lang, de, en);
        var title = T($"Ratenzahlungsbescheid zum Kassenzeichen {References.Grouped(claim.Reference)}", $"Instalment notice for payment reference {References.Grouped(claim.Reference)}");
        var rows = e.Instalments.OrderBy(i => i.DueOn).Select((i, n) => new[] { LetterText.Number(n + 1, lang), LetterText.Date(i.DueOn, lang), LetterText.Money(i.Amount, lang) }).ToArray();
        return Letter("instalment_notice", lang, title, $"{title} — {T("Zuwendungsbescheid", "grant notice")} {claim.GrantReference}", ctx, e.At, claim,
        [
            T($"1. Ich gestatte Ihnen, die Forderung mit dem Kassenzeichen {References.Grouped(claim.Reference)} in {e.Instalments.Length} Raten von zusammen {LetterText.Money(e.Instalments.Sum(i => i.Amount), lang)} zu den unten genannten Terminen zu zahlen.",
                $"1. I allow you to pay the claim with the payment reference {References.Grouped(claim.Reference)} in {e.Instalments.Length} instalments totalling {LetterText.Money(e.Instalments.Sum(i => i.Amount), lang)} on the dates below."),
            T("2. Die Zinsen nach § 49a Abs. 3 VwVfG NRW laufen weiter; was nach der letzten Rate an Zinsen offen ist, wird Ihnen mitgeteilt und ist mit ihr zu zahlen.",
                "2. Interest under section 49a (3) VwVfG NRW continues to run; interest still outstanding after the last instalment will be stated to you and is payable with it."),
        ],
        [
            new LetterSection("payment", T("1. Raten", "1. Instalments"), [T("Bitte geben Sie bei jeder Rate das Kassenzeichen an.", "Please give the payment reference with every instalment.")],
            [
                new LetterTable(T("Ratenplan", "Instalment plan"), [T("Rate", "Instalment"), T("Fällig am", "Due on"), T("Betrag", "Amount")], rows, false, [2]),
                PaymentDetails(claim, e.Instalments.OrderBy(i => i.DueOn).First().Amount, e.Instalments.Min(i => i.DueOn), account, lang),
            ]),
            LetterSection.Text("reasons", T("2. Begründung", "2. Reasons"),
                T("Rechtsgrundlage: § 59 Abs. 1 Satz 1 Nr. 1 LHO NRW (Stundung in Teilbeträgen).", "Legal basis: section 59 (1) sentence 1 no. 1 LHO NRW (deferral by instalments)."),
                T($"Gründe: {e.Reason}", $"Grounds (Gründe): {e.Reason}"),
                T("Bleibt eine Rate aus, werden Sie gemahnt.", "If an instalment is not received, you will receive a reminder.")),
            LetterText.LegalRemedy(programme, ctx.SeatDistrict, lang, "3."),
        ], e.ByName, T("Haushalt und Kasse", "Budget and payments"), LetterText.OnBehalf(lang));
    }

    /// <summary>Niederschlagung (collection suspended, the claim remains: a notice, no decision) or Erlass (remission: a decision).</summary>
    public static LetterDocument Waiver(RecoveryClaim claim, RecoveryWaiverApproved e, PayingAuthority account, Programme? programme, LetterContext ctx, string lang)
    {
        string T(string de, LetterTextHandler en) => LetterText.T(lang, de, en);
        var reference = References.Grouped(claim.Reference);
        var remission = e.Kind == WaiverKind.Remission;
        var title = remission
            ? T($"Erlassbescheid zum Kassenzeichen {reference}", $"Remission notice for payment reference {reference}")
            : T($"Mitteilung über die Niederschlagung zum Kassenzeichen {reference}", $"Notice of suspended collection for payment reference {reference}");
        var sections = new List<LetterSection>
        {
            LetterSection.Text("reasons", T("1. Begründung", "1. Reasons"),
                remission
                    ? T("Rechtsgrundlage: § 59 Abs. 1 Satz 1 Nr. 3 LHO NRW. Die Einziehung wäre nach Lage des Falles für Sie eine besondere Härte.",
                        "Legal basis: section 59 (1) sentence 1 no. 3 LHO NRW. Collection would, in the circumstances, be a particular hardship for you.")
                    : T("Rechtsgrundlage: § 59 Abs. 1 Satz 1 Nr. 2 LHO NRW. Die Niederschlagung ist eine verwaltungsinterne Maßnahme: Die Forderung erlischt nicht, sie kann jederzeit wieder eingezogen werden; die Zinsen nach § 49a Abs. 3 VwVfG NRW laufen weiter.",
                        "Legal basis: section 59 (1) sentence 1 no. 2 LHO NRW. Suspension is an internal measure: the claim is not extinguished and may be collected again at any time; interest under section 49a (3) VwVfG NRW continues to run."),
                T($"Gründe: {e.Reason}", $"Grounds (Gründe): {e.Reason}")),
        };
        if (remission) sections.Add(LetterText.LegalRemedy(programme, ctx.SeatDistrict, lang, "2."));
        else
            sections.Add(new LetterSection("payment", T("2. Zahlungen", "2. Payments"),
                [T("Zahlungen auf die Forderung nehmen wir weiterhin gern entgegen; bitte geben Sie dabei das Kassenzeichen an.",
                    "Payments towards the claim are still welcome; please give the payment reference with them.")],
                [PaymentDetails(claim, Math.Max(0, claim.Debt - claim.Received), e.EffectiveOn, account, lang)]));
        return Letter("waiver_notice", lang, title, $"{title} — {T("Zuwendungsbescheid", "grant notice")} {claim.GrantReference}", ctx, e.At, claim,
        [
            remission
                ? T($"Die Forderung mit dem Kassenzeichen {reference} zum Zuwendungsbescheid {claim.GrantReference} erlasse ich mit Wirkung vom {LetterText.Date(e.EffectiveOn, lang)}; was an diesem Tag geschuldet war, erlischt, Zinsen entstehen nicht mehr.",
                    $"I remit the claim with the payment reference {reference} for grant notice {claim.GrantReference} with effect from {LetterText.Date(e.EffectiveOn, lang)}; what was owed on that day is extinguished and no further interest accrues.")
                : T($"Die Einziehung der Forderung mit dem Kassenzeichen {reference} zum Zuwendungsbescheid {claim.GrantReference} wird ab dem {LetterText.Date(e.EffectiveOn, lang)} vorläufig nicht weiter betrieben (Niederschlagung). Die Forderung bleibt bestehen; freiwillige Zahlungen unter Angabe des Kassenzeichens werden weiterhin angerechnet.",
                    $"Collection of the claim with the payment reference {reference} for grant notice {claim.GrantReference} is suspended from {LetterText.Date(e.EffectiveOn, lang)} (Niederschlagung). The claim remains; voluntary payments giving the payment reference are still credited."),
        ], sections, e.ByName, T("Haushalt und Kasse", "Budget and payments"), LetterText.OnBehalf(lang));
    }

    /// <summary>
    /// Mahnung: what is owed, never understated (open principal, costs, the § 49a (3) interest computed up to the last day with a known
    /// base rate, their total, and always "zuzüglich weiterer Zinsen nach § 49a Abs. 3 VwVfG NRW"), as recorded in the reminder's event.
    /// Not a decision: no Rechtsbehelfsbelehrung; produced by the dunning run, so it is not signed.
    /// </summary>
    public static LetterDocument Reminder(RecoveryClaim claim, RecoveryReminderSent e, DunningStatement statement, PayingAuthority account, LetterContext ctx, string lang)
    {
        string T(string de, LetterTextHandler en) => LetterText.T(lang, de, en);
        string M(decimal m) => LetterText.Money(m, lang);
        string D(DateOnly d) => LetterText.Date(d, lang);
        var reference = References.Grouped(claim.Reference);
        var today = BerlinTime.Today(e.At);
        var payBy = today.AddDays(Dunning.DaysBetweenReminders);
        var title = T($"{e.Level}. Mahnung zum Kassenzeichen {reference}", $"Reminder {e.Level} for payment reference {reference}");
        var lastInterestDay = statement.InterestUntil.AddDays(-1);
        var rows = new List<string[]> { new[] { T("Hauptforderung", "Principal"), M(statement.Principal) } };
        if (statement.Costs > 0) rows.Add([T("Kosten", "Costs"), M(statement.Costs)]);
        if (Dunning.InterestComputed(claim, statement.InterestUntil))
            rows.Add([T($"Zinsen nach § 49a Abs. 3 VwVfG NRW bis einschließlich {D(lastInterestDay)}", $"Interest under section 49a (3) VwVfG NRW up to and including {D(lastInterestDay)}"), M(statement.Interest)]);
        rows.Add([T("Zusammen", "Total"), M(statement.Total)]);
        var pendingFrom = Dunning.PendingFrom(claim, statement.InterestUntil);
        var further = statement.InterestComplete
            ? T("zuzüglich weiterer Zinsen nach § 49a Abs. 3 VwVfG NRW bis zum Tag des Zahlungseingangs",
                "plus further interest under section 49a (3) VwVfG NRW up to the day the payment is received")
            : T($"zuzüglich weiterer Zinsen nach § 49a Abs. 3 VwVfG NRW ab dem {D(pendingFrom)} bis zum Tag des Zahlungseingangs (der Basiszinssatz nach § 247 BGB ab dem {D(statement.InterestUntil)} ist noch nicht bekannt gegeben; diese Zinsen werden nachberechnet)",
                $"plus further interest under section 49a (3) VwVfG NRW from {D(pendingFrom)} up to the day the payment is received (the base rate under section 247 BGB from {D(statement.InterestUntil)} has not yet been published; this interest will be charged later)");
        var decision = new List<string>
        {
            T($"Die Forderung mit dem Kassenzeichen {reference} zum Zuwendungsbescheid {claim.GrantReference} war am {D(e.OverdueSince.AddDays(-1))} fällig. Bis heute ist der Betrag nicht vollständig eingegangen.",
                $"The claim with the payment reference {reference} for grant notice {claim.GrantReference} was due on {D(e.OverdueSince.AddDays(-1))}. To date the amount has not been received in full."),
            T($"Offen sind {M(statement.Total)}, {further}. Bitte zahlen Sie diesen Betrag bis zum {D(payBy)} unter Angabe des Kassenzeichens auf das unten genannte Konto.",
                $"Outstanding: {M(statement.Total)}, {further}. Please pay this amount by {D(payBy)} into the account below, giving the payment reference."),
        };
        if (e.Level >= Dunning.MaxLevel)
            decision.Add(T("Dies ist die letzte Mahnung. Geht der Betrag nicht fristgerecht ein, wird die Forderung ohne weitere Ankündigung nach dem Verwaltungsvollstreckungsgesetz NRW (VwVG NRW) zwangsweise beigetrieben.",
                "This is the final reminder. If the amount is not received in time, the claim will be enforced without further notice under the Administrative Enforcement Act of North Rhine-Westphalia (VwVG NRW)."));
        return Letter("reminder", lang, title, $"{title} — {T("Zuwendungsbescheid", "grant notice")} {claim.GrantReference}", ctx, e.At, claim, decision.ToArray(),
        [
            new LetterSection("owed", T("1. Offene Forderung", "1. Amount outstanding"),
                [T($"Stand: {D(today)}. Bis heute eingegangene Zahlungen sind berücksichtigt; sie werden auf Kosten, dann Zinsen, dann die Hauptforderung angerechnet (§ 367 BGB).",
                    $"As of {D(today)}. Payments received up to today are taken into account; they are applied to costs, then interest, then the principal (section 367 BGB)."),
                    char.ToUpperInvariant(further[0]) + further[1..] + "."],
                [new LetterTable(T("Forderung", "Claim"), [T("Angabe", "Item"), T("Betrag", "Amount")], rows.ToArray(), true, [1]), PaymentDetails(claim, statement.Total, payBy, account, lang)]),
            LetterSection.Text("notes", T("2. Hinweise", "2. Notes"),
                T("Haben Sie inzwischen gezahlt, betrachten Sie dieses Schreiben bitte als gegenstandslos. Können Sie nicht fristgerecht zahlen, wenden Sie sich bitte umgehend an uns (Stundung oder Ratenzahlung nach § 59 LHO NRW).",
                    "If you have paid in the meantime, please disregard this letter. If you cannot pay in time, please contact us at once (deferral or instalments under section 59 LHO NRW).")),
        ], T("Haushalt und Kasse", "Budget and payments"),
        T("Dieses Schreiben wurde maschinell erstellt und ist ohne Unterschrift gültig.", "This letter was produced automatically and is valid without a signature."), null);
    }
}
