import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import {
  type AgentMiddleware,
  createAgent,
  modelCallLimitMiddleware,
  toolCallLimitMiddleware,
} from 'langchain';
import type { Db } from '../../db/database.ts';
import type { Retriever } from '../../knowledge/retrieve/retrieval-hit.ts';
import type { LeadTracker } from '../leads/lead-tracker.ts';
import { bookMeetingTool } from './tools/book-meeting.ts';
import { businessInfoTool } from './tools/business-info.ts';
import { captureLeadTool } from './tools/capture-lead.ts';
import { escalateToHumanTool } from './tools/escalate-to-human.ts';
import { searchKnowledgeTool } from './tools/search-knowledge.ts';
import type { TurnScope } from './tools/turn-scope.ts';

export interface AgentDeps {
  model: BaseChatModel;
  db: Db;
  retriever: Retriever;
  leads: LeadTracker;
  maxToolCalls: number;
}

/**
 * The one place the LangChain agent is put together: a tool-calling loop over the chat model with
 * the five tools bound to this turn's tenant and conversation. Past `maxToolCalls` further tool
 * calls are refused (the model must answer with what it has), and model calls are capped too, so
 * a model that keeps calling tools cannot loop.
 */
export function createAnsweringAgent(deps: AgentDeps, scope: TurnScope) {
  return createAgent({
    model: deps.model,
    tools: [
      searchKnowledgeTool(deps.retriever, scope),
      businessInfoTool(scope),
      captureLeadTool(deps.leads, scope),
      bookMeetingTool(deps.db, scope),
      escalateToHumanTool(scope),
    ],
    middleware: callLimits(deps.maxToolCalls),
  });
}

/**
 * LangChain 1.x derives these middlewares' option and state types from zod schemas in a way that
 * collapses to `never` under exactOptionalPropertyTypes; the options are checked at run time by
 * those same schemas, so the casts hide no unchecked input.
 */
interface CallLimit {
  runLimit: number;
  exitBehavior: 'continue' | 'end';
}

function callLimits(maxToolCalls: number): AgentMiddleware[] {
  const tools: CallLimit = { runLimit: maxToolCalls, exitBehavior: 'continue' };
  const models: CallLimit = { runLimit: maxToolCalls + 2, exitBehavior: 'end' };
  return [
    toolCallLimitMiddleware(tools as never) as unknown as AgentMiddleware,
    modelCallLimitMiddleware(models as never) as unknown as AgentMiddleware,
  ];
}
