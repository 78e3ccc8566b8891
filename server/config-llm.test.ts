import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('LLM, SMTP and job settings', () => {
  it('has no LLM and no SMTP by default', () => {
    const config = loadConfig({});
    expect(config.llm).toBeUndefined();
    expect(config.smtp).toBeUndefined();
    expect(config.topicsJob).toBe(true);
  });

  it('configures the LLM from OPENAI_API_KEY, OPENAI_BASE_URL and CAUSETTE_CHAT_MODEL', () => {
    const config = loadConfig({
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: 'http://localhost:11434/v1/',
      CAUSETTE_CHAT_MODEL: 'llama3.1:8b',
      CAUSETTE_LLM_TIMEOUT_MS: '5000',
    });
    expect(config.llm).toEqual({
      apiKey: 'sk-test',
      baseUrl: 'http://localhost:11434/v1',
      model: 'llama3.1:8b',
      timeoutMs: 5000,
      maxRetries: 2,
      concurrencyPerTenant: 4,
      maxToolCalls: 5,
    });
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test' }).llm?.model).toBe('gpt-4o-mini');
  });

  it('configures a local server that needs no key from OPENAI_BASE_URL alone', () => {
    const config = loadConfig({
      OPENAI_BASE_URL: 'http://localhost:11434/v1',
      CAUSETTE_CHAT_MODEL: 'qwen2.5:7b',
    });
    expect(config.llm).toMatchObject({
      apiKey: undefined,
      baseUrl: 'http://localhost:11434/v1',
      model: 'qwen2.5:7b',
    });
    expect(config.knowledge.openAiBaseUrl).toBe('http://localhost:11434/v1');
  });

  it('refuses a chat model with nowhere to send it', () => {
    expect(() => loadConfig({ CAUSETTE_CHAT_MODEL: 'llama3.1:8b' })).toThrow(
      /CAUSETTE_CHAT_MODEL needs OPENAI_API_KEY \(OpenAI\) or OPENAI_BASE_URL/,
    );
  });

  it('reports every LLM and SMTP mistake together, each with what was expected', () => {
    let error: unknown;
    try {
      loadConfig({
        OPENAI_BASE_URL: 'localhost:11434',
        CAUSETTE_CHAT_MODEL: 'bad model name',
        CAUSETTE_LLM_TIMEOUT_MS: '10',
        SMTP_URL: 'mail.example.com',
        CAUSETTE_TOPICS_JOB: 'sometimes',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/OPENAI_BASE_URL must be an http\(s\) URL/);
    expect(problems).toMatch(/CAUSETTE_CHAT_MODEL must be a model name/);
    expect(problems).toMatch(/CAUSETTE_LLM_TIMEOUT_MS must be a whole number from 1000/);
    expect(problems).toMatch(/SMTP_URL must look like smtp:\/\//);
    expect(problems).toMatch(/SMTP_FROM is required/);
    expect(problems).toMatch(/CAUSETTE_TOPICS_JOB must be "on" or "off"/);
  });

  it('configures SMTP with both SMTP_URL and SMTP_FROM', () => {
    expect(
      loadConfig({ SMTP_URL: 'smtp://u:p@mail.example.com:587', SMTP_FROM: 'Bot <bot@example.com>' }).smtp,
    ).toEqual({
      url: 'smtp://u:p@mail.example.com:587',
      from: 'Bot <bot@example.com>',
    });
  });
});
