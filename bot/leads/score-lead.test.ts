import { describe, expect, it } from 'vitest';
import { leadSignals, scoreLeadByRules } from './score-lead.ts';

const none = { email: false, phone: false, name: false, company: false };

describe('lead scoring by rules', () => {
  it('is hot with purchase intent, a quantity, urgency and contact details', () => {
    const signals = leadSignals(
      [
        { text: 'Je voudrais commander 200 pièces pour notre boutique', intent: 'purchase_interest' },
        { text: "C'est urgent, il nous les faut avant la fin du mois", intent: 'oos' },
      ],
      { ...none, email: true, name: true },
    );
    expect(signals).toMatchObject({
      purchase_intent: true,
      quantity_or_budget: '200 pièces',
      urgency: 'urgent',
    });
    const score = scoreLeadByRules(signals);
    expect(score.score).toBe('hot');
    expect(score.scoreValue).toBe(35 + 20 + 15 + 15 + 5);
    expect(score.reasoning).toContain('wants to buy');
  });

  it('is warm with a budget and an email, cold with a price question alone', () => {
    expect(
      scoreLeadByRules(
        leadSignals([{ text: 'Our budget is $5,000', intent: 'pricing' }], { ...none, email: true }),
      ).score,
    ).toBe('warm');
    const cold = scoreLeadByRules(leadSignals([{ text: 'how much is it?', intent: 'pricing' }], none));
    expect(cold).toMatchObject({ score: 'cold', scoreValue: 20 });
  });

  it('never goes above 100', () => {
    const signals = leadSignals(
      [{ text: 'acheter 10 unités asap, budget 10k€', intent: 'purchase_interest' }],
      {
        email: true,
        phone: true,
        name: true,
        company: true,
      },
    );
    expect(scoreLeadByRules(signals).scoreValue).toBe(100);
  });
});
