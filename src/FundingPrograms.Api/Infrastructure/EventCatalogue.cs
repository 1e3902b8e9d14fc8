using FundingPrograms.Applications;
using FundingPrograms.Grants;
using FundingPrograms.Organisations;
using FundingPrograms.Payments;
using FundingPrograms.Programmes;
using Marten.Events;

namespace FundingPrograms.Infrastructure;

/// <summary>Marker for every domain event: each one is listed below with its stable name.</summary>
public interface IDomainEvent;

/// <summary>
/// The published event type names. A name, once used, never changes: stored events are read back by it.
/// contracts/events.md is generated from this list (a test keeps them equal).
/// </summary>
public static class EventCatalogue
{
    public static readonly IReadOnlyList<(string Name, Type Type, string Summary)> All =
    [
        ("programme_created", typeof(ProgrammeCreated), "An officer created a programme as a draft, with its full definition."),
        ("programme_revised", typeof(ProgrammeRevised), "The programme's definition was replaced (with a reason once published)."),
        ("programme_published", typeof(ProgrammePublished), "The programme was published: it shows in the public catalogue and can open calls."),
        ("programme_closed", typeof(ProgrammeClosed), "The programme was closed: no new calls."),
        ("programme_archived", typeof(ProgrammeArchived), "The programme was archived: read-only."),
        ("budget_allocated", typeof(BudgetAllocated), "A budget was allocated to a budget line for a budget year."),
        ("budget_increased", typeof(BudgetIncreased), "A budget year was increased."),
        ("budget_decreased", typeof(BudgetDecreased), "A budget year was decreased (never below what is committed)."),
        ("call_opened", typeof(CallOpened), "A call (Förderaufruf) was opened with its window, districts and budget cap."),
        ("call_closed", typeof(CallClosed), "A call closed: automatically at its deadline, or early by an officer with a reason."),
        ("organisation_registered", typeof(OrganisationRegistered), "An organisation registered itself (binding its first applicant user) or was registered by an officer; its first bank account awaits confirmation."),
        ("organisation_verified", typeof(OrganisationVerified), "An officer verified the organisation's eligibility, with the evidence seen."),
        ("organisation_language_chosen", typeof(OrganisationLanguageChosen), "The organisation chose the language of its notifications and reminders."),
        ("bank_account_change_requested", typeof(BankAccountChangeRequested), "Someone entered a new bank account; it takes effect only when a second person confirms it."),
        ("personal_data_erased", typeof(PersonalDataErased), "Contact persons' personal data were erased (their keys destroyed) on a justified request or at the end of retention, with the reason."),
        ("bank_account_change_confirmed", typeof(BankAccountChangeConfirmed), "An officer other than the one who entered it confirmed a bank account; payments go there from now on."),
        ("application_drafted", typeof(ApplicationDrafted), "An applicant started an application to an open call."),
        ("application_edited", typeof(ApplicationEdited), "The applicant changed the application form (draft, or returned for completion); lists the fields changed."),
        ("application_submitted", typeof(ApplicationSubmitted), "The application was submitted (or resubmitted after completion) while the rules were met."),
        ("application_returned_for_completion", typeof(ApplicationReturnedForCompletion), "An officer returned the application with a list of missing items and a due date."),
        ("application_formally_checked", typeof(ApplicationFormallyChecked), "An officer found the application formally complete."),
        ("application_assessed", typeof(ApplicationAssessed), "An officer (the assessor) scored the application per criterion and recommended approval or rejection."),
        ("application_withdrawn", typeof(ApplicationWithdrawn), "The applicant withdrew the application."),
        ("application_approved", typeof(ApplicationApproved), "An approver (not the assessor) approved the application, acknowledging each double-funding finding with a reason."),
        ("application_rejected", typeof(ApplicationRejected), "An approver (not the assessor) rejected the application with reasons."),
        ("budget_committed", typeof(BudgetCommitted), "A grant committed money against budget years of a budget line (on the programme's stream, with the grant): at its approval, an amendment that raised it, or a final balance paid in a year the grant did not hold (its commitment moves there)."),
        ("budget_released", typeof(BudgetReleased), "A grant's commitment went back to the budget: an amendment or revocation lowered the grant, the final notice fixed it below what was committed, or a final balance moved its commitment into the year it is paid."),
        ("grant_issued", typeof(GrantIssued), "The grant notice was issued (version 1), started by approval."),
        ("grant_amended", typeof(GrantAmended), "An amendment notice changed amount, period or conditions: a new version of the notice, with a reason."),
        ("payment_requested", typeof(PaymentRequested), "The organisation requested a drawdown (Mittelabruf), or an officer set up an instalment."),
        ("payment_certified", typeof(PaymentCertified), "A finance user certified the payment as factually and arithmetically correct."),
        ("payment_released", typeof(PaymentReleased), "Another finance user released the payment to the organisation's confirmed account, frozen into the payment."),
        ("payment_batched", typeof(PaymentBatched), "The payment joined a batch with its end-to-end id."),
        ("payment_exported", typeof(PaymentExported), "The payment left in a pain.001 file."),
        ("payment_booked", typeof(PaymentBooked), "A bank statement entry (or a finance user, with a reason) matched the payment: it is booked."),
        ("payment_returned", typeof(PaymentReturned), "The bank returned the transfer, with its reason code; it can be released again after the account is checked."),
        ("grant_payment_reserved", typeof(GrantPaymentReserved), "A payment reserved part of the granted amount (on the grant's stream)."),
        ("grant_paid", typeof(GrantPaid), "Money booked to (or, negative, returned from) the grant's paid amount for a budget year."),
        ("budget_paid", typeof(BudgetPaid), "Money paid out of (or, negative, returned to) a budget year of the programme."),
        ("payment_batch_created", typeof(PaymentBatchCreated), "Finance grouped released payments into a batch."),
        ("payment_batch_exported", typeof(PaymentBatchExported), "The batch was exported as a pain.001.001.09 file (stored in the event; the batch is frozen)."),
        ("bank_statement_imported", typeof(BankStatementImported), "A camt.053 statement was imported with every entry and how it was matched."),
        ("statement_entry_matched", typeof(StatementEntryMatched), "Finance matched an unmatched entry to a payment by hand, with a reason."),
        ("statement_entry_explained", typeof(StatementEntryExplained), "Finance marked an unmatched entry as explained, with a reason."),
        // Grant law (issue 12)
        ("application_early_start_approved", typeof(ApplicationEarlyStartApproved), "An officer approved an early start (vorzeitiger Maßnahmebeginn, VV Nr. 1.3 zu § 44 LHO) before the notice, with a reason; it promises no funding."),
        ("grant_amendment_proposed", typeof(GrantAmendmentProposed), "An officer proposed raising a grant; an approver who did not propose it must approve it before the amendment notice is issued."),
        ("payment_refused", typeof(PaymentRefused), "Finance or an officer refused a drawdown with a reason; the applicant is notified."),
        ("grant_payment_reservation_released", typeof(GrantPaymentReservationReleased), "A refused payment gave its reserved amount back to the grant."),
        ("commitment_appropriation_granted", typeof(CommitmentAppropriationGranted), "A commitment appropriation (Verpflichtungsermächtigung, § 38 LHO) for a later year was entered on a budget line."),
        ("commitment_appropriation_converted", typeof(CommitmentAppropriationConverted), "When its year came, an officer turned a commitment appropriation into that year's cash budget."),
        ("legal_hold_placed", typeof(Audit.LegalHoldPlaced), "A legal hold was placed on an organisation's personal data, with the reason: retention erasure waits."),
        ("legal_hold_lifted", typeof(Audit.LegalHoldLifted), "A legal hold was lifted, with the reason: retention erasure applies again."),
        ("report_edition_frozen", typeof(Reports.ReportEditionFrozen), "An officer froze the report figures for a publication date: the edition pins the event sequence they are computed from."),
        ("proof_drafted", typeof(Proofs.ProofDrafted), "The organisation started a proof of use (interim for a budget year, or final) for its grant."),
        ("proof_edited", typeof(Proofs.ProofEdited), "The organisation changed a draft or returned proof (report, numerical proof, receipts); lists what changed."),
        ("proof_attachment_added", typeof(Proofs.ProofAttachmentAdded), "A file was attached to a proof; its SHA-256 is in the event, the bytes in the document store."),
        ("proof_submitted", typeof(Proofs.ProofSubmitted), "The proof was submitted (or resubmitted after completion) and is frozen; flagged findings are listed."),
        ("final_proof_submitted", typeof(Proofs.FinalProofSubmitted), "On the grant: its final proof of use is in; no amendment until the final notice."),
        ("proof_returned_for_completion", typeof(Proofs.ProofReturnedForCompletion), "An officer returned the proof with what is missing and a due date."),
        ("proof_examination_started", typeof(Proofs.ProofExaminationStarted), "An officer started a simple or in-depth examination; the in-depth sample is seeded from the proof id."),
        ("proof_receipts_ruled", typeof(Proofs.ProofReceiptsRuled), "An officer ruled on receipts: recognised, partly or not recognised, with reasons."),
        ("proof_examined", typeof(Proofs.ProofExamined), "The examination note (Prüfvermerk) with the step-by-step recalculation; for a final proof it proposes the final amount."),
        ("final_notice_approved", typeof(Proofs.FinalNoticeApproved), "On the proof: an approver other than the examiner approved the final notice."),
        ("final_notice_issued", typeof(Proofs.FinalNoticeIssued), "On the grant: the final notice (Schlussbescheid) set the final amount against what was paid."),
        ("grant_overpayment_established", typeof(Proofs.FinalOverpaymentEstablished), "On the grant: the final notice found more paid than the final amount; the difference is claimed back by a recovery claim."),
        ("grant_closed", typeof(Proofs.GrantClosed), "The grant was closed by its final notice; records are kept from the examination on."),
        ("proof_reminders_configured", typeof(Proofs.ProofRemindersConfigured), "An officer set the programme's reminder timing for proof deadlines."),
        ("letter_issued", typeof(Letters.LetterIssued), "A letter of the authority (its `kind`: grant, amendment, rejection, early-start approval, drawdown refusal, hearing, revocation, final notice, payment demand, reminder, deferral, instalment or waiver notice; the audit trail names it) was rendered once as PDF/A-2b and HTML (German binding, translations as reading copies), archived, and the SHA-256 of every file recorded; right after the decision's transaction commits, from the order stored in it (durable inbox), with the decision's correlation id and user."),
        ("letter_read", typeof(Letters.LetterRead), "An applicant of the organisation opened a letter for the first time (read receipt)."),
        // Recovery (revocation, recovery claims, base rates, bank status)
        ("base_rate_entered", typeof(Recovery.BaseRateEntered), "Finance entered the base rate (§ 247 BGB) valid from 1 January or 1 July, with its publication."),
        ("revocation_facts_recorded", typeof(Recovery.RevocationFactsRecorded), "An officer recorded facts that may justify revocation and the day the authority learned them (starts the one-year period)."),
        ("hearing_letter_sent", typeof(Recovery.HearingLetterSent), "The hearing letter (§ 28 VwVfG NRW) went to the organisation with a reply due date."),
        ("hearing_reply_recorded", typeof(Recovery.HearingReplyRecorded), "The organisation's reply to the hearing was recorded."),
        ("hearing_dispensed", typeof(Recovery.HearingDispensed), "An officer recorded that no hearing is needed (§ 28 (2) VwVfG NRW), with the reason."),
        ("revocation_proposed", typeof(Recovery.RevocationProposed), "An officer proposed to revoke the grant in whole or part, with effect from a day, reasons and legal basis."),
        ("grant_revoked", typeof(Recovery.GrantRevoked), "A second person approved the revocation: a new notice version with the lowered amount, released commitments, the recovery amount."),
        ("recovery_claim_raised", typeof(Recovery.RecoveryClaimRaised), "A recovery claim was raised: principal, tranches per payment for § 49a (3) interest, due date; its payment demand (letter `payment_demand`) is issued with it."),
        ("recovery_payment_received", typeof(Recovery.RecoveryPaymentReceived), "Money arrived on a recovery claim (bank credit or by hand), with the day it arrived."),
        ("recovery_claim_deferred", typeof(Recovery.RecoveryClaimDeferred), "Finance deferred the claim (Stundung) to a new due date, with a reason; interest continues. Confirmed by letter (`deferral_notice`)."),
        ("recovery_instalments_agreed", typeof(Recovery.RecoveryInstalmentsAgreed), "Finance agreed instalments (due dates and amounts) for the claim, with a reason. Confirmed by letter (`instalment_notice`)."),
        ("recovery_waiver_proposed", typeof(Recovery.RecoveryWaiverProposed), "A finance user proposed to suspend (Niederschlagung) or remit (Erlass) the claim, with a reason."),
        ("recovery_waiver_approved", typeof(Recovery.RecoveryWaiverApproved), "Another finance user approved the waiver; it takes effect that day. Confirmed by letter (`waiver_notice`)."),
        ("recovery_reminder_sent", typeof(Recovery.RecoveryReminderSent), "A dunning reminder was sent for an overdue claim (level 1 to 3) with the statement of what is owed (principal, costs, interest up to the last known base rate, total); its letter (`reminder`, Mahnung) is issued with it."),
        ("payment_status_report_imported", typeof(Recovery.PaymentStatusReportImported), "A pain.002 status report was imported; RJCT/PART statuses marked exported payments rejected (payment_rejected, with the reason code)."),
        ("payment_rejected", typeof(PaymentRejected), "The bank rejected the exported transfer before booking it (pain.002 RJCT/PART), with its reason code; nothing was paid, it can be released again."),
        ("idle_interest_claimed", typeof(Recovery.IdleInterestClaimed), "Finance claimed the § 49a (4) VwVfG NRW interest on money not used within the drawdown horizon: an interest-only recovery claim, with the calculation per payment."),
        ("idle_interest_waived", typeof(Recovery.IdleInterestWaived), "Finance decided not to claim the § 49a (4) VwVfG NRW interest on money not used in time, with the reason and the calculation."),
    ];

    public static void Register(IEventStoreOptions events)
    {
        foreach (var (name, type, _) in All) events.MapEventType(type, name);
    }
}
