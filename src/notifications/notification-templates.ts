import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import Handlebars from 'handlebars';
import { AppConfig } from 'src/config/app-config';
import {
  NOTIFICATION_EVENTS,
  type NotificationEvent,
  type NotificationTemplateData,
} from './notification-events';

/** Where the templates shipped with the app live: next to this file in src/ and in dist/. */
export const DEFAULT_TEMPLATES_DIR = join(__dirname, 'templates');

/** The HTML layout every `<event>.html.hbs` wraps itself in with `{{#> layout}}…{{/layout}}`. */
const LAYOUT_FILE = 'layout.html.hbs';
const PARTS = ['subject', 'text', 'html'] as const;
type Part = (typeof PARTS)[number];

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** What every template may use besides its event's own data. */
export interface TemplateContext {
  helpdesk: { name: string; url: string };
  ticket?: { id: string; number: number; subject: string };
}

type Compiled = Record<NotificationEvent, Record<Part, HandlebarsTemplateDelegate>>;

/**
 * Loads and renders the Handlebars templates: `<event>.subject.hbs`, `<event>.text.hbs`,
 * `<event>.html.hbs` and the `layout.html.hbs` partial. A file in `TEMPLATES_DIR` replaces the
 * shipped one of the same name. HTML templates escape `{{value}}` (so customer-written text is
 * inert); subject and text templates do not, since they are not HTML. Everything is compiled at
 * start, so a broken or missing template stops the process instead of the first email.
 */
@Injectable()
export class NotificationTemplates implements OnModuleInit {
  private compiled?: Compiled;
  private readonly handlebars = Handlebars.create();

  constructor(private readonly config: AppConfig) {}

  onModuleInit(): void {
    this.load();
  }

  /** The directories searched, the deployer's first. */
  get directories(): string[] {
    return this.config.templatesDir
      ? [resolve(this.config.templatesDir), DEFAULT_TEMPLATES_DIR]
      : [DEFAULT_TEMPLATES_DIR];
  }

  render<E extends NotificationEvent>(
    event: E,
    data: NotificationTemplateData[E],
    context: TemplateContext,
  ): RenderedEmail {
    const templates = this.load()[event];
    const input = { ...context, ...data };
    return {
      // A subject is one header line: no line breaks, whatever a template or a customer wrote.
      subject: templates.subject(input).replace(/\s+/g, ' ').trim().slice(0, 250),
      text: templates.text(input),
      html: templates.html(input),
    };
  }

  private load(): Compiled {
    if (this.compiled) return this.compiled;
    const override = this.config.templatesDir && resolve(this.config.templatesDir);
    if (override && !(existsSync(override) && statSync(override).isDirectory())) {
      throw new Error(`TEMPLATES_DIR ${override} is not a directory`);
    }
    this.registerHelpers();
    this.handlebars.registerPartial('layout', this.handlebars.compile(this.parse(LAYOUT_FILE)));
    const compiled = {} as Compiled;
    for (const event of NOTIFICATION_EVENTS) {
      compiled[event] = {} as Compiled[NotificationEvent];
      for (const part of PARTS) {
        const file = `${event}.${part}.hbs`;
        compiled[event][part] = this.handlebars.compile(this.parse(file), {
          noEscape: part !== 'html',
        });
      }
    }
    this.compiled = compiled;
    return compiled;
  }

  /** Finds a template, the deployer's copy first, and parses it (Handlebars compiles lazily). */
  private parse(file: string): hbs.AST.Program {
    for (const dir of this.directories) {
      const path = join(dir, file);
      if (!existsSync(path)) continue;
      try {
        return this.handlebars.parse(readFileSync(path, 'utf8'));
      } catch (error) {
        throw new Error(`Email template ${path} does not parse: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
    throw new Error(`Email template ${file} not found in ${this.directories.join(' or ')}`);
  }

  private registerHelpers(): void {
    const { escapeExpression, SafeString } = this.handlebars;
    // {{paragraphs text}} in HTML: escaped, with the writer's line breaks kept.
    this.handlebars.registerHelper(
      'paragraphs',
      (value: unknown) =>
        new SafeString(
          escapeExpression(asText(value)).replace(/\r\n?/g, '\n').replace(/\n/g, '<br>\n'),
        ),
    );
    // {{datetime due_at}} → "2026-11-21 09:30 UTC"
    this.handlebars.registerHelper('datetime', (value: unknown) => {
      const date = value instanceof Date ? value : new Date(asText(value));
      return Number.isNaN(date.getTime())
        ? asText(value)
        : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    });
    // {{humanize target}} → "first response"
    this.handlebars.registerHelper('humanize', (value: unknown) =>
      asText(value).replace(/_/g, ' '),
    );
  }
}

/** Template values are strings, numbers and dates; anything else renders as nothing. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  return '';
}
