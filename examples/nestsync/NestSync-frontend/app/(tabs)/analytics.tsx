import { useQuery } from '@apollo/client';
import { Text, View } from 'react-native';
import { ANALYTICS_DASHBOARD_QUERY } from '../../lib/graphql/queries';

export default function AnalyticsScreen({ childId }: { childId: string }) {
  const { data, loading, error } = useQuery(ANALYTICS_DASHBOARD_QUERY, {
    variables: { childId, periodDays: 30 },
  });
  if (loading) return <Text>Loading…</Text>;
  if (error) return <Text>Could not load analytics.</Text>;
  const dashboard = data.getAnalyticsDashboard;
  return (
    <View>
      <Text>{`${dashboard.totalChanges} changes, ${dashboard.averageChangesPerDay.toFixed(1)} a day`}</Text>
    </View>
  );
}
