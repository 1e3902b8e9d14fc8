using System.Text;
using FundingPrograms.Grants;
using FundingPrograms.Infrastructure;
using FundingPrograms.Payments;
using FundingPrograms.Programmes;
using FundingPrograms.Recovery;
using FundingPrograms.Tests.Contracts;

namespace FundingPrograms.Tests.Recovery;

/// <summary>pain.002 statuses and the revocation decider, without a database.</summary>
public sealed class when_a_payment_status_report_is_read
{
    private static readonly Lazy<System.Xml.Schema.XmlSchemaSet> Schema = new(() =>
    {
        using var xsd = File.OpenRead(Repo.File("src", "FundingPrograms.Api", "Recovery", "Schemas", "pain.002.001.10.xsd"));
        return Pain002.LoadSchema(xsd);
    });

    private static string Report(string group, string transactions) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
        <GrpHdr><MsgId>PSR-1</MsgId><CreDtTm>2027-01-16T08:00:00+01:00</CreDtTm></GrpHdr>
        <OrgnlGrpInfAndSts><OrgnlMsgId>MSG-1</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>{group}</OrgnlGrpInfAndSts>
        {transactions}
        </CstmrPmtStsRpt></Document>
        """;

    private static PaymentStatusReportFile Parse(string xml) => Pain002.Parse(new MemoryStream(Encoding.UTF8.GetBytes(xml)), Schema.Value);

    private static Payment Exported(string e2e) => new() { Id = Guid.NewGuid(), EndToEndId = e2e, State = PaymentState.Exported, Amount = 100m };

    [Fact]
    public void a_partly_accepted_batch_rejects_only_the_rejected_transactions()
    {
        var file = Parse(Report("<GrpSts>PART</GrpSts>", """
            <OrgnlPmtInfAndSts><OrgnlPmtInfId>MSG-1</OrgnlPmtInfId>
            <TxInfAndSts><OrgnlEndToEndId>E1</OrgnlEndToEndId><TxSts>ACCP</TxSts></TxInfAndSts>
            <TxInfAndSts><OrgnlEndToEndId>E2</OrgnlEndToEndId><TxSts>RJCT</TxSts><StsRsnInf><Rsn><Cd>AM05</Cd></Rsn></StsRsnInf></TxInfAndSts>
            <TxInfAndSts><OrgnlEndToEndId>E3</OrgnlEndToEndId></TxInfAndSts>
            </OrgnlPmtInfAndSts>
            """));
        file.OriginalMessageId.ShouldBe("MSG-1");
        file.Items.Count.ShouldBe(2); // E3 has no status of its own under a partly accepted group
        var items = ImportPaymentStatusEndpoint.Decide(file, [Exported("E1"), Exported("E2"), Exported("E3")]);
        items.Single(i => i.Outcome == StatusOutcome.Rejected).EndToEndId.ShouldBe("E2");
        items.Single(i => i.Outcome == StatusOutcome.Rejected).ReasonCode.ShouldBe("AM05");
        items.Single(i => i.EndToEndId == "E1").Outcome.ShouldBe(StatusOutcome.Accepted);
    }

    [Fact]
    public void a_rejected_group_covers_every_payment_of_the_batch_but_never_a_booked_one()
    {
        var file = Parse(Report("<GrpSts>RJCT</GrpSts><StsRsnInf><Rsn><Cd>DU01</Cd></Rsn></StsRsnInf>", ""));
        var booked = Exported("E2");
        booked.State = PaymentState.Booked;
        var items = ImportPaymentStatusEndpoint.Decide(file, [Exported("E1"), booked]);
        items.Single(i => i.EndToEndId == "E1").Outcome.ShouldBe(StatusOutcome.Rejected);
        items.Single(i => i.EndToEndId == "E1").ReasonCode.ShouldBe("DU01");
        items.Single(i => i.EndToEndId == "E2").Outcome.ShouldBe(StatusOutcome.NotExported);
    }

    [Fact]
    public void an_invalid_report_or_a_dtd_is_refused()
    {
        Should.Throw<StatementRejectedException>(() => Parse(Report("<GrpSts>RJCT</GrpSts><GrpSts>RJCT</GrpSts>", ""))).Problem.ShouldBe(StatementProblem.SchemaInvalid);
        Should.Throw<StatementRejectedException>(() => Parse("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x \"y\">]><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.10\">&x;</Document>"))
            .Problem.ShouldBe(StatementProblem.DtdNotAllowed);
        Should.Throw<StatementRejectedException>(() => Parse("<Document xmlns=\"urn:other\"/>")).Problem.ShouldBe(StatementProblem.Unsupported);
    }
}

public sealed class when_a_whole_revocation_is_approved
{
    private static readonly DateTimeOffset Now = new(2027, 9, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void the_grant_goes_to_zero_unpaid_years_are_released_and_everything_paid_is_claimed()
    {
        var grant = new Grant { Id = Guid.NewGuid(), ProgrammeId = Guid.NewGuid(), CallId = Guid.NewGuid() };
        grant.Notices.Add(new GrantNotice(1, "ZB-2026-X", "P", Guid.NewGuid(), "Org", grant.ProgrammeId, new() { ["de"] = "P" }, 10000m, 10000m, null,
            FinancingType.Share, 12500m, 80m, 10000m, new(2027, 1, 1), new(2028, 12, 31), "0710", [new(2027, 5000m), new(2028, 5000m)], "c", "ANBest-P",
            new(2029, 6, 30), new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), "b", null));
        grant.PaidPerYear.Add(new YearAmount(2027, 4000m));
        var learned = new DateOnly(2027, 8, 1);
        var factsId = Guid.NewGuid();
        grant.Revocation.Apply(new RevocationFactsRecorded(grant.Id, factsId, learned, "f", "e", learned.AddYears(1), "anna", "Anna", Now));
        grant.Revocation.Apply(new HearingDispensed(grant.Id, "verzichtet", "anna", "Anna", Now));
        grant.Revocation.Apply(new RevocationProposed(grant.Id, Guid.NewGuid(), RevocationScope.Whole, 0m, new(2027, 6, 1), "r", "§ 49", factsId, null, "anna", "Anna", Now));
        var booked = new Payment { Id = Guid.NewGuid(), State = PaymentState.Booked, Amount = 4000m };
        var bernd = new Actor("bernd", "Bernd", [Roles.Approver], null);

        var decision = ApproveRevocationEndpoint.Decide(grant, [booked], 0m, Guid.NewGuid(), bernd, Now);
        decision.Revoked.NewAmount.ShouldBe(0m);
        decision.Revoked.RecoveryAmount.ShouldBe(4000m);
        decision.Revoked.Notice.GrantedAmount.ShouldBe(0m);
        decision.Revoked.Notice.NoticeVersion.ShouldBe(2);
        decision.Released.ShouldNotBeNull().Years.ShouldBe([new YearAmount(2027, 1000m), new YearAmount(2028, 5000m)]);

        Should.Throw<ProblemException>(() => ApproveRevocationEndpoint.Decide(grant, [booked], 0m, Guid.NewGuid(), new Actor("anna", "Anna", [Roles.Admin], null), Now))
            .Problem.Status.ShouldBe(403);
        var inFlight = new Payment { Id = Guid.NewGuid(), State = PaymentState.Exported, Amount = 500m };
        Should.Throw<ProblemException>(() => ApproveRevocationEndpoint.Decide(grant, [booked, inFlight], 0m, Guid.NewGuid(), bernd, Now)).Problem.Status.ShouldBe(422);
    }
}
