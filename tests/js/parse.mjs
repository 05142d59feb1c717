// Parse iCalendar feeds with Mozilla's ical.js (Thunderbird's parser) for the
// Python tests (tests/support/ical_parsers.py).
//
// Protocol: each line on stdin is a JSON array of feed texts; for each line
// one line of JSON goes to stdout: an array with, per feed, either
// {"events": [...]} or {"error": "message"}. One process serves many lines,
// so a Hypothesis run pays Node's start-up once.
//
// Times: DATE values come back as "YYYY-MM-DD"; DATE-TIME values as Unix
// seconds (UTC). A DATE-TIME whose TZID has no VTIMEZONE in the feed, or
// that is floating, is an error: ical.js would otherwise read it silently
// as local time, which is exactly the bug the tests must catch.
import readline from 'node:readline';
import ICAL from 'ical.js';

function timeValue(prop) {
  if (!prop) return null;
  const time = prop.getFirstValue();
  if (time.isDate) return time.toString();
  const tzid = prop.getParameter('tzid');
  if (tzid) {
    if (!time.zone || time.zone.tzid !== tzid || !time.zone.component) {
      throw new Error(`${prop.name.toUpperCase()} uses TZID ${tzid} without a VTIMEZONE`);
    }
  } else if (time.zone !== ICAL.Timezone.utcTimezone) {
    throw new Error(`${prop.name.toUpperCase()} is a floating time`);
  }
  return time.toUnixTime();
}

function text(component, name) {
  const value = component.getFirstPropertyValue(name);
  return value === null || value === undefined ? null : String(value);
}

function eventJson(vevent) {
  const event = new ICAL.Event(vevent);
  const rrule = vevent.getFirstPropertyValue('rrule');
  const sequence = vevent.getFirstPropertyValue('sequence');
  return {
    uid: event.uid,
    summary: text(vevent, 'summary'),
    description: text(vevent, 'description'),
    location: text(vevent, 'location'),
    status: text(vevent, 'status'),
    sequence: sequence === null ? null : Number(sequence),
    url: text(vevent, 'url'),
    classification: text(vevent, 'class'),
    transparency: text(vevent, 'transp'),
    start: timeValue(vevent.getFirstProperty('dtstart')),
    end: timeValue(vevent.getFirstProperty('dtend')),
    dtstamp: timeValue(vevent.getFirstProperty('dtstamp')),
    rrule: rrule ? rrule.toString() : null,
    categories: vevent.getAllProperties('categories').flatMap((p) => p.getValues().map(String)),
    properties: vevent.getAllProperties().map((p) => p.name.toUpperCase()),
    components: vevent.getAllSubcomponents().map((c) => c.name.toUpperCase()),
  };
}

function parseFeed(data) {
  // Each feed sees only its own zones, as a fresh client would.
  ICAL.TimezoneService.reset();
  const root = new ICAL.Component(ICAL.parse(data));
  if (root.name !== 'vcalendar') throw new Error(`top component is ${root.name}`);
  for (const vtimezone of root.getAllSubcomponents('vtimezone')) {
    ICAL.TimezoneService.register(vtimezone);
  }
  const events = root.getAllSubcomponents('vevent').map(eventJson);
  const others = root.getAllSubcomponents()
    .map((c) => c.name.toUpperCase())
    .filter((name) => name !== 'VEVENT' && name !== 'VTIMEZONE');
  return { events, others };
}

function attempt(data) {
  try {
    return parseFeed(data);
  } catch (error) {
    return { error: String(error && error.stack ? error.stack : error) };
  }
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  const feeds = JSON.parse(line);
  process.stdout.write(JSON.stringify(feeds.map(attempt)) + '\n');
}
