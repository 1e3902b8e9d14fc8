using FundingPrograms.Applications;
using FundingPrograms.Grants;
using FundingPrograms.Infrastructure;
using FundingPrograms.Organisations;
using FundingPrograms.Payments;
using FundingPrograms.Programmes;
using JasperFx.Events;

namespace FundingPrograms.Tests.Deciders;

/// <summary>
/// State for the decider tests (no database): every aggregate is folded in memory from the events its stream would hold,
/// through the aggregate's own <c>Create</c>/<c>Apply</c> methods.
/// </summary>
public static class Given
{
    /// <summary>The notice date of every approval: 2026-11-27 in Berlin.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    public static readonly DateOnly Today = new(2026, 11, 27);
    public static readonly DateTimeOffset CallOpens = Now.AddDays(-30); // 2026-10-28
    public const string Line = "0710/684 10";

    public static readonly Actor Officer = new("anna", "Anna Officer", [Roles.Officer], null);
    public static readonly Actor Assessor = new("omar", "Omar Officer", [Roles.Officer, Roles.Approver], null);
    public static readonly Actor Approver = new("bernd", "Bernd Approver", [Roles.Approver], null);
    public static readonly Actor Approver2 = new("berta", "Berta Approver", [Roles.Approver], null);
    public static readonly Actor Finance = new("fatma", "Fatma Finance", [Roles.Finance], null);
    public static readonly Actor Finance2 = new("felix", "Felix Finance", [Roles.Finance], null);
    public static readonly Actor Applicant = new("app-1", "Aylin Applicant", [Roles.Applicant], null);

    /// <summary>A published programme (max share 80 %, 1,000–15,000 EUR, drawdown horizon 2 months, proof due after 6), with one open call.</summary>
    public static Programme OpenProgramme(Guid callId, decimal perYear = 100_000m, decimal? callCap = null, int[]? years = null)
    {
        var id = Guid.NewGuid();
        var definition = new ProgrammeDefinition(new() { ["de"] = "MSO-Projektförderung" }, new() { ["de"] = "D" }, new LegalBasis("Richtlinie MSO", new DateOnly(2024, 1, 15)),
            ["II"], ["women"], ["mso"],
            new FinancingRules([FinancingType.Share, FinancingType.Gap, FinancingType.FixedAmount], 80m, 1000m, 15000m, 20m, 15m, 2, 6), [],
            "Verwaltungsgericht Köln");
        var p = FundingPrograms.Programmes.Programme.Create(new ProgrammeCreated(id, definition, Now.AddYears(-1)));
        p.Apply(new ProgrammePublished(id, Now.AddYears(-1)));
        foreach (var year in years ?? [2026, 2027, 2028, 2029]) p.Apply(new BudgetAllocated(id, Line, null, year, perYear, null, Now.AddYears(-1)));
        p.Apply(new CallOpened(id, callId, new() { ["de"] = "Aufruf 2027" }, new() { ["de"] = "D" }, CallOpens, Now.AddDays(30), [], callCap, CallOpens));
        return p;
    }

    /// <summary>
    /// Costs: staff 8,000 + material (1,000) in cash, 1,000 volunteer work (total 10,000 at the defaults); funded by the request
    /// (7,000), own cash 1,500 and 500 third-party money. Own cash follows <paramref name="requested"/> so the cash plan balances.
    /// </summary>
    public static ApplicationContent Content(DateOnly start, DateOnly end, decimal requested = 7000m, decimal material = 1000m,
        FinancingType type = FinancingType.Share) =>
        new("Frauencafé", "Treffpunkt für neu zugewanderte Frauen", "Beschreibung", "II", ["women"], ["05315"], start, end,
            [new CostItem(CostCategory.Staff, "Koordination", 8000m, 25, 12, "Koordination"), new CostItem(CostCategory.Material, "Material", material, null, null, null)],
            8000m + material - 500m - requested, 1000m, [new ThirdPartyFund("Stadt", 500m, true)], requested, type);

    private static long _sequence;

    private static IEvent<T> Stored<T>(T data) where T : notnull => new Event<T>(data) { Sequence = Interlocked.Increment(ref _sequence) };

    /// <summary>An application drafted, submitted, formally checked and assessed (by <see cref="Assessor"/> unless given), optionally with an early start.</summary>
    public static Application Assessed(Programme programme, Guid callId, ApplicationContent content, DateOnly? earlyStartFrom = null, Actor? assessor = null)
    {
        var id = Guid.NewGuid();
        var by = assessor ?? Assessor;
        var at = Now.AddDays(-20);
        var a = Application.Create(Stored(new ApplicationDrafted(id, Guid.NewGuid(), "Verein Brücke e.V.", "mso", programme.Id, callId, content, at)));
        a.Apply(Stored(new ApplicationSubmitted(id, 10000m, content.RequestedAmount ?? 0, false, at)));
        if (earlyStartFrom is { } from) a.Apply(new ApplicationEarlyStartApproved(id, from, "Beginn vor dem Schuljahr nötig", Officer.Id, Officer.Name, at));
        a.Apply(Stored(new ApplicationFormallyChecked(id, null, at.AddDays(1))));
        a.Apply(Stored(new ApplicationAssessed(id, [], 80, Recommendation.Approve, content.RequestedAmount, null, by.Id, by.Name, at.AddDays(2))));
        return a;
    }

    public static ApproveApplication Approve(decimal amount = 7000m, YearAmountInput[]? split = null, string? reductionReason = null,
        AcknowledgementInput[]? acknowledgements = null) =>
        new(amount, reductionReason, Line, split, "Zweckbindung", "ANBest-P (Fassung 2023)", acknowledgements, 4);

    /// <summary>An issued grant (approved by <see cref="Approver"/> today) and its programme with the commitment applied.</summary>
    public static (Grant Grant, Programme Programme, Application Application) Granted(DateOnly? start = null, DateOnly? end = null, decimal amount = 7000m,
        YearAmountInput[]? split = null, FinancingType type = FinancingType.Share, DateOnly? earlyStartFrom = null, decimal? callCap = null, decimal material = 1000m)
    {
        var callId = Guid.NewGuid();
        var p = OpenProgramme(callId, callCap: callCap);
        var s = start ?? new DateOnly(2027, 1, 1);
        var content = Content(s, end ?? new DateOnly(s.Year, 12, 31), amount, material, type);
        var application = Assessed(p, callId, content, earlyStartFrom);
        var approval = ApproveApplicationEndpoint.Decide(application, p, Guid.NewGuid(), "ZB-2026-000001", Approve(amount, split), [], Approver, Now);
        p.Apply(approval.Committed);
        return (Grant.Create(approval.Issued), p, application);
    }

    /// <summary>A payment folded from its stream up to the given state (exported: in a batch with its end-to-end id).</summary>
    public static Payment PaymentIn(Grant grant, decimal amount, PaymentState upTo, BankAccount? payee = null, Guid? id = null)
    {
        var paymentId = id ?? Guid.NewGuid();
        var p = FundingPrograms.Payments.Payment.Create(new PaymentRequested(paymentId, grant.Id, grant.OrganisationId, grant.ProgrammeId, grant.Notice.Reference,
            PaymentKind.Drawdown, amount, new DateOnly(2027, 2, 1), 2027, "Honorare", Applicant.Id, Now));
        if (upTo == PaymentState.Requested) return p;
        p.Apply(new PaymentCertified(paymentId, Finance.Id, Finance.Name, Now));
        if (upTo == PaymentState.Certified) return p;
        p.Apply(new PaymentReleased(paymentId, payee ?? Account, Guid.NewGuid(), 1, Finance2.Id, Finance2.Name, Now));
        if (upTo == PaymentState.Released) return p;
        var batchId = Guid.NewGuid();
        p.Apply(new PaymentBatched(paymentId, batchId, FundingPrograms.Payments.Payment.EndToEndIdFor(paymentId, 1), Now));
        if (upTo == PaymentState.Batched) return p;
        p.Apply(new PaymentExported(paymentId, batchId, "MSG-1", Now));
        if (upTo == PaymentState.Exported) return p;
        p.Apply(new PaymentBooked(paymentId, Guid.NewGuid(), "E-0", new DateOnly(2027, 2, 3), false, null, Now));
        return p;
    }

    public static readonly BankAccount Account = new("DE02120300000000202051", "BYLADEM1001", "Verein Brücke e.V.");

    /// <summary>An organisation whose first account is entered at registration and, unless <paramref name="confirmed"/> is false, confirmed by a second person.</summary>
    public static Organisation OrganisationWithAccount(bool confirmed = true)
    {
        var id = Guid.NewGuid();
        var change = Guid.NewGuid();
        var o = FundingPrograms.Organisations.Organisation.Create(new OrganisationRegistered(id,
            new OrganisationProfile("Verein Brücke e.V.", "e.V.", null, null, true, null, "mso", "05315", new Address("Hauptstr. 1", "50667", "Köln")),
            [], change, Account, Officer.Id, null, Now.AddYears(-1)));
        if (confirmed) o.Apply(new BankAccountChangeConfirmed(id, change, Finance.Id, Now.AddYears(-1)));
        return o;
    }

    /// <summary>The decider refused: the problem's status and stable type.</summary>
    public static ProblemException Refused(Action act, int status, string type)
    {
        var ex = Should.Throw<ProblemException>(act);
        ex.Problem.Status.ShouldBe(status);
        ex.Problem.Type.ShouldBe(type);
        return ex;
    }

    public static ProblemException Refused<T>(Func<T> act, int status, string type) => Refused(() => { act(); }, status, type);

    /// <summary>The messages for one field of a 400/422 problem (fails when the field is absent).</summary>
    public static string[] Errors(this ProblemException ex, string field)
    {
        var errors = (IDictionary<string, string[]>)ex.Problem.Extensions["errors"]!;
        errors.Keys.ShouldContain(field);
        return errors[field];
    }

    public static string[] Fields(this ProblemException ex) =>
        ex.Problem.Extensions.TryGetValue("errors", out var e) && e is IDictionary<string, string[]> errors ? errors.Keys.Order().ToArray() : [];
}
