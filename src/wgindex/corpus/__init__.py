"""The linked corpus: records -> symbols, meetings, topics, states; the URL and anchor scheme."""
