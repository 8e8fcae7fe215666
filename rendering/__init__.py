"""Report figures drawn for people: charts, workbooks and text tables from caseload's figures."""
