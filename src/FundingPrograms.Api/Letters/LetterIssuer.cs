using FundingPrograms.Applications;
using FundingPrograms.Grants;
using FundingPrograms.Organisations;
using FundingPrograms.Programmes;

namespace FundingPrograms.Letters;

/// <summary>
/// Orders a decision's letter inside the decision's transaction: maps the decision to a <see cref="LetterDocument"/> per
/// language (German binding, translations as reading copies) and stores the durable order; right after the commit
/// <see cref="IssueLetterHandler"/> renders each once to PDF/A-2b and HTML, archives the bytes and starts the letter's
/// stream with <see cref="LetterIssued"/> carrying their SHA-256.
/// <para>New letter types (early start, drawdown refusal, final notice, hearing, revocation, reminders): write a mapping
/// to <see cref="LetterDocument"/> and call <see cref="Issue"/> from the command that decides it.</para>
/// </summary>
public sealed class LetterIssuer(IConfiguration config)
{
    public LettersOptions Options { get; } = config.GetSection("Letters").Get<LettersOptions>() ?? new LettersOptions();

    /// <summary>The paying authority's account (Payments:Debtor), which recovery letters name for the money to come back to.</summary>
    public Payments.PayingAuthority Account { get; } = config.GetSection("Payments:Debtor").Get<Payments.PayingAuthority>() ?? new Payments.PayingAuthority();

    public Task<LetterOrder> GrantNotice(IDocumentSession session, GrantIssued issued, Application application, Programme programme, CancellationToken ct) =>
        GrantLetter(session, issued.Notice, null, [], issued.GrantId, application, programme, ct);

    public async Task<LetterOrder> Amendment(IDocumentSession session, Grant grant, GrantAmended amended, Programme programme, CancellationToken ct)
    {
        var application = await session.LoadAsync<Application>(grant.ApplicationId, ct);
        return await GrantLetter(session, amended.Notice, grant.Notice, amended.Changes, grant.Id, application, programme, ct);
    }

    public async Task<LetterOrder> Rejection(IDocumentSession session, Application application, ApplicationRejected rejected, CancellationToken ct)
    {
        var programme = await session.LoadAsync<Programme>(application.ProgrammeId, ct);
        var name = programme?.Definition.Name ?? new Dictionary<string, string> { ["de"] = "" };
        var context = await Context(session, application.ProgrammeId, application.OrganisationId, application.OrganisationName, application, programme, ct);
        var documents = RejectionLetter.Languages(name, context.Language)
            .Select(lang => RejectionLetter.Build(rejected, application.Content.Title ?? "", application.Content.RequestedAmount, name, context, lang)).ToList();
        return Issue(session, "rejection_notice", application.Id, 1, application.OrganisationId, application.ProgrammeId, application.Id, null, null,
            context.FileReference, documents, rejected.ApproverName, rejected.At);
    }

    private async Task<LetterOrder> GrantLetter(IDocumentSession session, GrantNotice notice, GrantNotice? previous, string[] changes, Guid grantId,
        Application? application, Programme? programme, CancellationToken ct)
    {
        var context = await Context(session, notice.ProgrammeId, notice.OrganisationId, notice.OrganisationName, application, programme, ct);
        var documents = GrantNoticeLetter.Languages(notice, context.Language).Select(lang => GrantNoticeLetter.Build(notice, previous, changes, context, lang)).ToList();
        return Issue(session, documents[0].Kind, grantId, notice.NoticeVersion, notice.OrganisationId, notice.ProgrammeId, application?.Id, grantId,
            notice.NoticeVersion, context.FileReference, documents, notice.IssuedBy, notice.IssuedAt);
    }

    /// <summary>Zustimmung zum vorzeitigen Maßnahmebeginn: one per application.</summary>
    public async Task<LetterOrder> EarlyStart(IDocumentSession session, Application application, ApplicationEarlyStartApproved approved, CancellationToken ct)
    {
        var programme = await session.LoadAsync<Programme>(application.ProgrammeId, ct);
        var context = await Context(session, application.ProgrammeId, application.OrganisationId, application.OrganisationName, application, programme, ct);
        return Issue(session, "early_start_approval", application.Id, 1, application.OrganisationId, application.ProgrammeId, application.Id, null, null,
            context.FileReference, DecisionLetters.Languages(programme, context.Language).Select(l => DecisionLetters.EarlyStart(approved, application, programme, context, l)).ToList(), approved.OfficerName, approved.At);
    }

    /// <summary>Ablehnung eines Mittelabrufs: one per refused payment.</summary>
    public async Task<LetterOrder> DrawdownRefusal(IDocumentSession session, Payments.Payment payment, Grant grant, Payments.PaymentRefused refused, CancellationToken ct)
    {
        var (programme, context) = await GrantContext(session, grant, ct);
        return Issue(session, "drawdown_refusal", payment.Id, 1, grant.OrganisationId, grant.ProgrammeId, grant.ApplicationId, grant.Id, null,
            context.FileReference, DecisionLetters.Languages(programme, context.Language).Select(l => DecisionLetters.DrawdownRefusal(refused, payment, grant, programme, context, l)).ToList(), refused.RefusedByName, refused.At);
    }

    /// <summary>Anhörung (§ 28 VwVfG NRW): one per hearing.</summary>
    public async Task<LetterOrder> Hearing(IDocumentSession session, Grant grant, Recovery.HearingLetterSent sent, CancellationToken ct)
    {
        var (programme, context) = await GrantContext(session, grant, ct);
        return Issue(session, "hearing_letter", sent.HearingId, 1, grant.OrganisationId, grant.ProgrammeId, grant.ApplicationId, grant.Id, null,
            context.FileReference, DecisionLetters.Languages(programme, context.Language).Select(l => DecisionLetters.Hearing(sent, grant, context, l)).ToList(), sent.ByName, sent.At);
    }

    /// <summary>Widerrufs- (und Rückforderungs-)bescheid: establishes the notice version it records, so it is that version's letter.</summary>
    public async Task<LetterOrder> Revocation(IDocumentSession session, Grant grant, Recovery.GrantRevoked revoked, Recovery.RecoveryClaimRaised? claim, CancellationToken ct)
    {
        var (programme, context) = await GrantContext(session, grant, ct);
        return Issue(session, "revocation_notice", revoked.ProposalId, 1, grant.OrganisationId, grant.ProgrammeId, grant.ApplicationId, grant.Id,
            revoked.Notice.NoticeVersion, context.FileReference, DecisionLetters.Languages(programme, context.Language).Select(l => DecisionLetters.Revocation(revoked, grant, claim, programme, context, l)).ToList(), revoked.ApprovedByName, revoked.At);
    }

    /// <summary>Schlussbescheid: one per final proof.</summary>
    public async Task<LetterOrder> FinalNotice(IDocumentSession session, Grant grant, Proofs.FinalNoticeIssued issued, CancellationToken ct)
    {
        var (programme, context) = await GrantContext(session, grant, ct);
        return Issue(session, "final_notice", issued.ProofId, 1, grant.OrganisationId, grant.ProgrammeId, grant.ApplicationId, grant.Id, null,
            context.FileReference, DecisionLetters.Languages(programme, context.Language).Select(l => DecisionLetters.FinalNotice(issued, grant, programme, context, l)).ToList(), issued.ApprovedBy, issued.At);
    }

    /// <summary>Leistungsbescheid / Zahlungsaufforderung: one per recovery claim, issued with the claim.</summary>
    public async Task<LetterOrder> PaymentDemand(IDocumentSession session, Grant grant, Recovery.RecoveryClaimRaised raised, CancellationToken ct)
    {
        var claim = Recovery.RecoveryClaim.Create(raised);
        var (programme, context) = await GrantContext(session, grant, ct);
        var documents = RecoveryLetters.Languages(programme, context.Language).Select(lang => RecoveryLetters.PaymentDemand(claim, grant, Account, programme, context, lang)).ToList();
        return Issue(session, "payment_demand", claim.Id, 1, grant.OrganisationId, grant.ProgrammeId, grant.ApplicationId, grant.Id, null,
            context.FileReference, documents, raised.RaisedByName, raised.At);
    }

    /// <summary>
    /// The letter of a decision on a recovery claim (deferral, instalments, waiver) or a reminder: one per event, its id from the claim
    /// and the stream version the event takes.
    /// </summary>
    public async Task<LetterOrder> ClaimLetter(IDocumentSession session, Recovery.RecoveryClaim claim, object decided, CancellationToken ct,
        Recovery.DunningStatement? statement = null)
    {
        var grant = await session.LoadAsync<Grant>(claim.GrantId, ct) ?? throw new InvalidOperationException($"The grant {claim.GrantId} of claim {claim.Id} is missing.");
        var (programme, context) = await GrantContext(session, grant, ct);
        var languages = RecoveryLetters.Languages(programme, context.Language);
        var (kind, documents, by, at) = decided switch
        {
            Recovery.RecoveryClaimDeferred e => ("deferral_notice", languages.Select(l => RecoveryLetters.Deferral(claim, e, Account, programme, context, l)).ToList(), e.ByName, e.At),
            Recovery.RecoveryInstalmentsAgreed e => ("instalment_notice", languages.Select(l => RecoveryLetters.Instalments(claim, e, Account, programme, context, l)).ToList(), e.ByName, e.At),
            Recovery.RecoveryWaiverApproved e => ("waiver_notice", languages.Select(l => RecoveryLetters.Waiver(claim, e, Account, programme, context, l)).ToList(), e.ByName, e.At),
            Recovery.RecoveryReminderSent e => ("reminder", languages.Select(l => RecoveryLetters.Reminder(claim, e, statement ?? e.Statement
                ?? throw new InvalidOperationException("A reminder letter needs its statement."), Account, context, l)).ToList(), Infrastructure.Actor.System.Name, e.At),
            _ => throw new ArgumentException($"No letter for {decided.GetType().Name}.", nameof(decided)),
        };
        return Issue(session, kind, claim.Id, (int)claim.Version + 1, grant.OrganisationId, grant.ProgrammeId, grant.ApplicationId, grant.Id, null,
            context.FileReference, documents, by, at);
    }

    private async Task<(Programme? Programme, LetterContext Context)> GrantContext(IDocumentSession session, Grant grant, CancellationToken ct)
    {
        var programme = await session.LoadAsync<Programme>(grant.ProgrammeId, ct);
        var application = await session.LoadAsync<Application>(grant.ApplicationId, ct);
        return (programme, await Context(session, grant.ProgrammeId, grant.OrganisationId, grant.Notice.OrganisationName, application, programme, ct));
    }

    /// <summary>The letterhead of the programme, the organisation's legal name and postal address and chosen language, the file.</summary>
    public async Task<LetterContext> Context(IQuerySession session, Guid programmeId, Guid organisationId, string organisationName, Application? application,
        Programme? programme, CancellationToken ct)
    {
        var organisation = await session.LoadAsync<Organisation>(organisationId, ct);
        var addressee = organisation is null
            ? new Addressee(organisationName, [])
            : new Addressee(organisation.Profile.LegalName, [organisation.Profile.Address.Street, $"{organisation.Profile.Address.PostalCode} {organisation.Profile.Address.City}"]);
        return new LetterContext(Options.For(programmeId), addressee, FileReference(application, organisationId),
            application?.SubmittedAt is { } submitted ? Infrastructure.BerlinTime.Today(submitted) : null, programme?.Definition.LegalBasis, application?.Content,
            organisation?.Profile.District, Options.GeneralConditions, organisation?.Language);
    }

    /// <summary>
    /// The file reference (Aktenzeichen) of a case: the number the application was given from the per-year sequence when it was drafted.
    /// Applications drafted before that (and letters without an application) keep the old form: year and the id's last 8 hex digits.
    /// </summary>
    public static string FileReference(Application? application, Guid fallback) => application is null
        ? $"FP-{fallback.ToString("N")[^8..].ToUpperInvariant()}"
        : application.FileReference ?? $"FP-{application.CreatedAt.Year}-{application.Id.ToString("N")[^8..].ToUpperInvariant()}";

    /// <summary>
    /// Orders the letter in the decision's transaction: a <see cref="PendingLetter"/> and the durable <see cref="IssueLetter"/>
    /// message (published when the session saves), which <see cref="IssueLetterHandler"/> handles right after the commit:
    /// every language version (the first is the binding one) rendered once to PDF and HTML, archived, the letter's stream started.
    /// The letter's id derives from the decided case and its version, and is known at once.
    /// </summary>
    public static LetterOrder Issue(IDocumentSession session, string kind, Guid caseId, int version, Guid organisationId, Guid? programmeId,
        Guid? applicationId, Guid? grantId, int? noticeVersion, string fileReference, IReadOnlyList<LetterDocument> documents, string issuedBy,
        DateTimeOffset at)
    {
        var letterId = Letter.IdFor(kind, caseId, version);
        var order = new LetterOrder(new IssueLetter(letterId, kind, caseId, version, organisationId, programmeId, applicationId, grantId, noticeVersion,
            fileReference, documents, issuedBy, at));
        session.Store(new PendingLetter
        {
            Id = letterId, Kind = kind, OrganisationId = organisationId, ApplicationId = applicationId, GrantId = grantId, NoticeVersion = noticeVersion,
            FileReference = fileReference, Subject = documents[0].Subject, DecidedAt = at,
        });
        session.Listeners.Add(new LetterOrder.Publisher(order));
        return order;
    }
}
